// RUN: ge-opt %s --split-input-file --verify-diagnostics 2>&1 | filecheck %s

// graph.concat and graph.split of rank-0 tensors have no axis to work on: that must be a
// diagnostic, not a crash (shapes.normalize_axis accepts axis 0 for rank 0, then the rule
// indexes dim 0 of a scalar).

// CHECK-NOT: Traceback
func.func @concat_scalars(%a: tensor<f32>) {
// CHECK: error: graph.concat:
  %0 = graph.concat %a, %a {axis = 0 : i64} : (tensor<f32>, tensor<f32>) -> tensor<2xf32>
  func.return
}

// -----

func.func @split_scalar(%a: tensor<f32>) {
// CHECK: error: graph.split:
  %0 = graph.split %a {axis = 0 : i64} : tensor<f32> -> tensor<f32>
  func.return
}
// CHECK-NOT: Traceback
