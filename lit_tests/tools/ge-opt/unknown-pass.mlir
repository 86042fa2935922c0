// RUN: not ge-opt %s -p nope 2>&1 | filecheck %s
// RUN: not ge-opt %s -p cse,nope,dce 2>&1 | filecheck %s
// RUN: not ge-opt %s -p NOPE 2>&1 | filecheck %s --check-prefix=CASE

// An unknown pass name is a one-line error on stderr and exit 1, before any input is parsed.

// CHECK-NOT: Traceback
// CHECK: ge-opt: error: Unrecognized passes: ['nope']
// CHECK-NOT: Traceback
// CHECK-NOT: builtin.module

// Pass names are case-sensitive.
// CASE: ge-opt: error: Unrecognized passes: ['NOPE']

func.func @f(%x: tensor<4xf32>) {
  func.return
}
