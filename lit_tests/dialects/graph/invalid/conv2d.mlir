// RUN: ge-opt %s --split-input-file --verify-diagnostics | filecheck %s

// graph.conv2d shape rules: rank 4 operands, groups, channels, window fit, bias, result, dtypes.

func.func @input_rank_three(%x: tensor<3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
// CHECK: {{.*}}conv2d.mlir:[[# @LINE + 2]]:3: error: graph.conv2d: input and filter must be rank 4 (NCHW, OIHW), got 3x8x8 and 4x3x3x3
// CHECK-NEXT: %0 = graph.conv2d %x, %w : (tensor<3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<4x6x6xf32>
  %0 = graph.conv2d %x, %w : (tensor<3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<4x6x6xf32>
  func.return
}

// -----

func.func @filter_rank_two(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3xf32>) {
// CHECK: error: graph.conv2d: input and filter must be rank 4 (NCHW, OIHW), got 1x3x8x8 and 4x3
  %0 = graph.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3xf32>) -> tensor<1x4x8x8xf32>
  func.return
}

// -----

func.func @groups_zero(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) {
// CHECK: error: graph.conv2d: groups must be >= 1, got 0
  %0 = graph.conv2d %x, %w {groups = 0 : i64} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  func.return
}

// -----

func.func @input_channels_not_divisible(%x: tensor<1x6x8x8xf32>, %w: tensor<4x1x3x3xf32>) {
// CHECK: error: graph.conv2d: input channels 6 are not divisible by groups 4
  %0 = graph.conv2d %x, %w {groups = 4 : i64} : (tensor<1x6x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32>
  func.return
}

// -----

func.func @output_channels_not_divisible(%x: tensor<1x4x8x8xf32>, %w: tensor<6x1x3x3xf32>) {
// CHECK: error: graph.conv2d: output channels 6 are not divisible by groups 4
  %0 = graph.conv2d %x, %w {groups = 4 : i64} : (tensor<1x4x8x8xf32>, tensor<6x1x3x3xf32>) -> tensor<1x6x6x6xf32>
  func.return
}

// -----

func.func @filter_channels_mismatch(%x: tensor<1x3x8x8xf32>, %w: tensor<4x4x3x3xf32>) {
// CHECK: error: graph.conv2d: filter expects 4 channels per group, input gives 3
  %0 = graph.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  func.return
}

// -----

func.func @filter_channels_per_group_mismatch(%x: tensor<1x8x8x8xf32>, %w: tensor<8x8x3x3xf32>) {
// CHECK: error: graph.conv2d: filter expects 8 channels per group, input gives 4
  %0 = graph.conv2d %x, %w {groups = 2 : i64} : (tensor<1x8x8x8xf32>, tensor<8x8x3x3xf32>) -> tensor<1x8x6x6xf32>
  func.return
}

// -----

func.func @window_does_not_fit(%x: tensor<1x3x3x3xf32>, %w: tensor<4x3x5x5xf32>) {
// CHECK: error: graph.conv2d: window of 5 does not fit input size 3 with padding 0+0
  %0 = graph.conv2d %x, %w : (tensor<1x3x3x3xf32>, tensor<4x3x5x5xf32>) -> tensor<1x4x1x1xf32>
  func.return
}

// -----

func.func @dilated_window_does_not_fit(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
// CHECK: error: graph.conv2d: window of 3 (dilation 4) does not fit input size 8 with padding 0+0
  %0 = graph.conv2d %x, %w {dilation = array<i64: 4, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x1x6xf32>
  func.return
}

// -----

func.func @bias_shape_wrong(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) {
// CHECK: error: graph.conv2d: bias shape 3 does not match expected 4
  %0 = graph.conv2d %x, %w, %b : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<3xf32>) -> tensor<1x4x6x6xf32>
  func.return
}

// -----

func.func @bias_element_type_differs(%x: tensor<1x3x8x8xf16>, %w: tensor<4x3x3x3xf16>, %b: tensor<4xf32>) {
// CHECK: error: graph.conv2d: element types differ: f16, f32
  %0 = graph.conv2d %x, %w, %b : (tensor<1x3x8x8xf16>, tensor<4x3x3x3xf16>, tensor<4xf32>) -> tensor<1x4x6x6xf16>
  func.return
}

// -----

func.func @filter_element_type_differs(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xbf16>) {
// CHECK: error: graph.conv2d: element types differ: bf16, f32
  %0 = graph.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xbf16>) -> tensor<1x4x6x6xf32>
  func.return
}

// -----

func.func @result_shape_wrong(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
// CHECK: error: graph.conv2d: result shape 1x4x8x8 does not match expected 1x4x6x6
  %0 = graph.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  func.return
}

// -----

func.func @result_shape_ignores_stride(%x: tensor<?x3x224x224xf32>, %w: tensor<64x3x7x7xf32>) {
// CHECK: error: graph.conv2d: result shape ?x64x224x224 does not match expected ?x64x112x112
  %0 = graph.conv2d %x, %w {stride = array<i64: 2, 2>, padding = array<i64: 3, 3, 3, 3>} : (tensor<?x3x224x224xf32>, tensor<64x3x7x7xf32>) -> tensor<?x64x224x224xf32>
  func.return
}
