// RUN: ge-opt %s --split-input-file --verify-diagnostics | filecheck %s

// graph.conv2d window properties: stride and dilation have 2 entries >= 1, padding 4 entries >= 0.

func.func @stride_one_entry(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
// CHECK: {{.*}}conv2d-window-attrs.mlir:[[# @LINE + 2]]:3: error: graph.conv2d: stride must have 2 entries, got 1
// CHECK-NEXT: %0 = graph.conv2d %x, %w {stride = array<i64: 2>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x3x3xf32>
  %0 = graph.conv2d %x, %w {stride = array<i64: 2>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x3x3xf32>
  func.return
}

// -----

func.func @stride_zero(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
// CHECK: error: graph.conv2d: stride entries must be >= 1, got [1, 0]
  %0 = graph.conv2d %x, %w {stride = array<i64: 1, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  func.return
}

// -----

func.func @padding_two_entries(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
// CHECK: error: graph.conv2d: padding must have 4 entries, got 2
  %0 = graph.conv2d %x, %w {padding = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  func.return
}

// -----

func.func @padding_negative(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
// CHECK: error: graph.conv2d: padding entries must be >= 0, got [0, 0, -1, 0]
  %0 = graph.conv2d %x, %w {padding = array<i64: 0, 0, -1, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x5x6xf32>
  func.return
}

// -----

func.func @dilation_three_entries(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
// CHECK: error: graph.conv2d: dilation must have 2 entries, got 3
  %0 = graph.conv2d %x, %w {dilation = array<i64: 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  func.return
}

// -----

func.func @dilation_zero(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
// CHECK: error: graph.conv2d: dilation entries must be >= 1, got [0, 1]
  %0 = graph.conv2d %x, %w {dilation = array<i64: 0, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  func.return
}

// -----

func.func @stride_empty(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
// CHECK: error: graph.conv2d: stride must have 2 entries, got 0
  %0 = graph.conv2d %x, %w {stride = array<i64>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  func.return
}
