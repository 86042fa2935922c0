// RUN: ge-opt %s --split-input-file --verify-diagnostics | filecheck %s

// Pool padding is (top, left, bottom, right) and every entry must be smaller than the kernel
// extent of its axis, not only top and left: with bottom padding 3 and a kernel of 2 the last
// windows lie entirely in the padding (-inf for max, an empty count for avg).

func.func @padding_bottom_not_smaller_than_kernel(%x: tensor<1x3x8x8xf32>) {
// CHECK: error: graph.max_pool2d: padding [0, 0, 3, 0] must be smaller than the kernel
  %0 = graph.max_pool2d %x {kernel = array<i64: 2, 2>, padding = array<i64: 0, 0, 3, 0>} : tensor<1x3x8x8xf32> -> tensor<1x3x10x7xf32>
  func.return
}

// -----

func.func @padding_right_not_smaller_than_kernel(%x: tensor<1x3x8x8xf32>) {
// CHECK: error: graph.avg_pool2d: padding [1, 1, 1, 3] must be smaller than the kernel
  %0 = graph.avg_pool2d %x {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 3>} : tensor<1x3x8x8xf32> -> tensor<1x3x8x10xf32>
  func.return
}
