// RUN: ge-opt %s --split-input-file --verify-diagnostics | filecheck %s

// Verifier errors of graph.rms_norm: weight of the last dim's size, element types, epsilon > 0.

func.func @weight_shape_wrong(%x: tensor<4x16xf32>, %w: tensor<4xf32>) {
// CHECK: {{.*}}rms_norm.mlir:[[# @LINE + 2]]:3: error: graph.rms_norm: scale/shift shape 4 does not match expected 16
// CHECK-NEXT: %0 = graph.rms_norm %x, %w : (tensor<4x16xf32>, tensor<4xf32>) -> tensor<4x16xf32>
  %0 = graph.rms_norm %x, %w : (tensor<4x16xf32>, tensor<4xf32>) -> tensor<4x16xf32>
  func.return
}

// -----

func.func @weight_element_type_differs(%x: tensor<?x4096xbf16>, %w: tensor<4096xf32>) {
// CHECK: error: graph.rms_norm: element types differ: bf16, f32
  %0 = graph.rms_norm %x, %w : (tensor<?x4096xbf16>, tensor<4096xf32>) -> tensor<?x4096xbf16>
  func.return
}

// -----

func.func @epsilon_zero(%x: tensor<4x16xf32>, %w: tensor<16xf32>) {
// CHECK: error: graph.rms_norm: epsilon must be > 0, got 0.0
  %0 = graph.rms_norm %x, %w {epsilon = 0.0 : f32} : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  func.return
}

// -----

func.func @result_shape_wrong(%x: tensor<4x16xf32>, %w: tensor<16xf32>) {
// CHECK: error: graph.rms_norm: result shape 4x1 does not match expected 4x16
  %0 = graph.rms_norm %x, %w : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x1xf32>
  func.return
}

// -----

func.func @epsilon_not_float(%x: tensor<4x16xf32>, %w: tensor<16xf32>) {
// CHECK: error: {{.*}}1 : i64 should be of base attribute float
  %0 = "graph.rms_norm"(%x, %w) <{epsilon = 1 : i64}> : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  func.return
}
