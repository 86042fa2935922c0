// RUN: ge-opt %s --split-input-file --verify-diagnostics | filecheck %s

// Verifier errors of graph.max_pool2d / graph.avg_pool2d: kernel/stride/padding entries and
// ranges, padding smaller than the kernel, rank 4 input, window fit, result shape, dtypes.

func.func @kernel_one_entry(%x: tensor<1x3x8x8xf32>) {
// CHECK: {{.*}}pool.mlir:[[# @LINE + 2]]:3: error: graph.max_pool2d: kernel must have 2 entries, got 1
// CHECK-NEXT: %0 = graph.max_pool2d %x {kernel = array<i64: 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x7x7xf32>
  %0 = graph.max_pool2d %x {kernel = array<i64: 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x7x7xf32>
  func.return
}

// -----

func.func @kernel_zero(%x: tensor<1x3x8x8xf32>) {
// CHECK: error: graph.avg_pool2d: kernel entries must be >= 1, got [0, 2]
  %0 = graph.avg_pool2d %x {kernel = array<i64: 0, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x9x7xf32>
  func.return
}

// -----

func.func @stride_zero(%x: tensor<1x3x8x8xf32>) {
// CHECK: error: graph.max_pool2d: stride entries must be >= 1, got [2, 0]
  %0 = graph.max_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 0>} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
  func.return
}

// -----

func.func @stride_three_entries(%x: tensor<1x3x8x8xf32>) {
// CHECK: error: graph.avg_pool2d: stride must have 2 entries, got 3
  %0 = graph.avg_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
  func.return
}

// -----

func.func @padding_three_entries(%x: tensor<1x3x8x8xf32>) {
// CHECK: error: graph.max_pool2d: padding must have 4 entries, got 3
  %0 = graph.max_pool2d %x {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1>} : tensor<1x3x8x8xf32> -> tensor<1x3x8x8xf32>
  func.return
}

// -----

func.func @padding_negative(%x: tensor<1x3x8x8xf32>) {
// CHECK: error: graph.max_pool2d: padding entries must be >= 0, got [-1, 0, 0, 0]
  %0 = graph.max_pool2d %x {kernel = array<i64: 3, 3>, padding = array<i64: -1, 0, 0, 0>} : tensor<1x3x8x8xf32> -> tensor<1x3x5x6xf32>
  func.return
}

// -----

func.func @padding_top_not_smaller_than_kernel(%x: tensor<1x3x8x8xf32>) {
// CHECK: error: graph.max_pool2d: padding [2, 0, 0, 0] must be smaller than the kernel
  %0 = graph.max_pool2d %x {kernel = array<i64: 2, 2>, padding = array<i64: 2, 0, 0, 0>} : tensor<1x3x8x8xf32> -> tensor<1x3x9x7xf32>
  func.return
}

// -----

func.func @padding_left_not_smaller_than_kernel(%x: tensor<1x3x8x8xf32>) {
// CHECK: error: graph.avg_pool2d: padding [1, 3, 1, 1] must be smaller than the kernel
  %0 = graph.avg_pool2d %x {kernel = array<i64: 3, 3>, padding = array<i64: 1, 3, 1, 1>} : tensor<1x3x8x8xf32> -> tensor<1x3x8x10xf32>
  func.return
}

// -----

func.func @input_rank_three(%x: tensor<3x8x8xf32>) {
// CHECK: error: graph.max_pool2d: input must be rank 4 (NCHW), got 3x8x8
  %0 = graph.max_pool2d %x {kernel = array<i64: 2, 2>} : tensor<3x8x8xf32> -> tensor<3x7x7xf32>
  func.return
}

// -----

func.func @window_does_not_fit(%x: tensor<1x3x2x8xf32>) {
// CHECK: error: graph.avg_pool2d: window of 3 does not fit input size 2 with padding 0+0
  %0 = graph.avg_pool2d %x {kernel = array<i64: 3, 3>} : tensor<1x3x2x8xf32> -> tensor<1x3x1x6xf32>
  func.return
}

// -----

func.func @result_shape_wrong(%x: tensor<1x3x8x8xf32>) {
// CHECK: error: graph.max_pool2d: result shape 1x3x7x7 does not match expected 1x3x4x4
  %0 = graph.max_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x7x7xf32>
  func.return
}

// -----

func.func @result_channels_wrong(%x: tensor<?x3x8x8xf16>) {
// CHECK: error: graph.avg_pool2d: result shape ?x4x4x4 does not match expected ?x3x4x4
  %0 = graph.avg_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<?x3x8x8xf16> -> tensor<?x4x4x4xf16>
  func.return
}

// -----

func.func @element_type_differs(%x: tensor<1x3x8x8xf32>) {
// CHECK: error: graph.avg_pool2d: element types differ: f16, f32
  %0 = graph.avg_pool2d %x {kernel = array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x7x7xf16>
  func.return
}
