// RUN: not ge-opt %s -p 'cse{foo=1}' 2>&1 | filecheck %s
// RUN: not ge-opt %s -p 'dce,canonicalize{bogus=true}' 2>&1 | filecheck %s --check-prefix=CANON

// An option a pass does not have is a one-line error on stderr and exit 1.

// CHECK-NOT: Traceback
// CHECK: ge-opt: error: Provided arguments ["foo"] not found in expected arguments []
// CHECK-NOT: Traceback

// CANON-NOT: Traceback
// CANON: ge-opt: error: Provided arguments ["bogus"] not found in expected arguments
// CANON-NOT: Traceback

func.func @f(%x: tensor<4xf32>) {
  func.return
}
