// RUN: ge-opt %s --split-input-file --verify-diagnostics | filecheck %s

// Verifier errors of graph.layer_norm: epsilon > 0, weight/bias of the normalized trailing shape,
// axis range, element types, result equal to the input.

func.func @epsilon_zero(%x: tensor<2x8xf32>, %w: tensor<8xf32>, %b: tensor<8xf32>) {
// CHECK: {{.*}}layer_norm.mlir:[[# @LINE + 2]]:3: error: graph.layer_norm: epsilon must be > 0, got 0.0
// CHECK-NEXT: %0 = graph.layer_norm %x, %w, %b {epsilon = 0.000000e+00 : f32} : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  %0 = graph.layer_norm %x, %w, %b {epsilon = 0.0 : f32} : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  func.return
}

// -----

func.func @epsilon_negative(%x: tensor<2x8xf32>, %w: tensor<8xf32>, %b: tensor<8xf32>) {
// CHECK: error: graph.layer_norm: epsilon must be > 0, got -1e-05
  %0 = graph.layer_norm %x, %w, %b {epsilon = -1.0e-05 : f64} : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  func.return
}

// -----

func.func @weight_shape_wrong(%x: tensor<2x8xf32>, %w: tensor<2x8xf32>, %b: tensor<8xf32>) {
// CHECK: error: graph.layer_norm: scale/shift shape 2x8 does not match expected 8
  %0 = graph.layer_norm %x, %w, %b : (tensor<2x8xf32>, tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  func.return
}

// -----

func.func @bias_shape_wrong(%x: tensor<2x6x8xf32>, %w: tensor<6x8xf32>, %b: tensor<8xf32>) {
// CHECK: error: graph.layer_norm: scale/shift shape 8 does not match expected 6x8
  %0 = graph.layer_norm %x, %w, %b {axis = 1 : i64} : (tensor<2x6x8xf32>, tensor<6x8xf32>, tensor<8xf32>) -> tensor<2x6x8xf32>
  func.return
}

// -----

func.func @axis_out_of_range(%x: tensor<2x8xf32>, %w: tensor<8xf32>, %b: tensor<8xf32>) {
// CHECK: error: graph.layer_norm: axis 2 is out of range for rank 2
  %0 = graph.layer_norm %x, %w, %b {axis = 2 : i64} : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  func.return
}

// -----

func.func @weight_element_type_differs(%x: tensor<2x8xf16>, %w: tensor<8xf32>, %b: tensor<8xf16>) {
// CHECK: error: graph.layer_norm: element types differ: f16, f32
  %0 = graph.layer_norm %x, %w, %b : (tensor<2x8xf16>, tensor<8xf32>, tensor<8xf16>) -> tensor<2x8xf16>
  func.return
}

// -----

func.func @result_shape_wrong(%x: tensor<2x8xf32>, %w: tensor<8xf32>, %b: tensor<8xf32>) {
// CHECK: error: graph.layer_norm: result shape 8x2 does not match expected 2x8
  %0 = graph.layer_norm %x, %w, %b : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<8x2xf32>
  func.return
}

// -----

func.func @result_element_type_differs(%x: tensor<2x8xbf16>, %w: tensor<8xbf16>, %b: tensor<8xbf16>) {
// CHECK: error: graph.layer_norm: element types differ: bf16, f32
  %0 = graph.layer_norm %x, %w, %b : (tensor<2x8xbf16>, tensor<8xbf16>, tensor<8xbf16>) -> tensor<2x8xf32>
  func.return
}

// -----

func.func @missing_bias(%x: tensor<2x8xf32>, %w: tensor<8xf32>) {
// CHECK: error: {{.*}}Expected 3 operands, but got 2
  %0 = graph.layer_norm %x, %w : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  func.return
}
