// RUN: not ge-opt %s 2>&1 | filecheck %s --check-prefix=VERIFY
// RUN: ge-opt %s --disable-verify | filecheck %s

// --disable-verify prints IR that does not verify instead of rejecting it (for debugging).

// VERIFY: error: graph.add: result shape 5 does not match expected 4
// CHECK: %0 = graph.add %a, %a : tensor<4xf32>, tensor<4xf32> -> tensor<5xf32>
func.func @f(%a: tensor<4xf32>) {
  %0 = graph.add %a, %a : tensor<4xf32>, tensor<4xf32> -> tensor<5xf32>
  func.return
}
