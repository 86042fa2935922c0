// RUN: not ge-opt %s.does-not-exist 2>&1 | filecheck %s
// RUN: not ge-opt %S/Inputs/does-not-exist.mlir -p cse 2>&1 | filecheck %s

// A missing input file is a one-line error on stderr and exit 1.

// CHECK-NOT: Traceback
// CHECK: ge-opt: error: {{.*}}No such file or directory: '{{.*}}does-not-exist{{.*}}'
// CHECK-NOT: Traceback
