// RUN: ge-opt %s --split-input-file | filecheck %s
// RUN: GE_ROUNDTRIP
// RUN: GE_GENERIC_ROUNDTRIP

// graph.max_pool2d / graph.avg_pool2d: kernel is required; stride (default 1, 1) and padding
// (default 0, 0, 0, 0) are elided when default.

// CHECK-LABEL: func.func @max_pool2d(%x: tensor<1x3x8x8xf32>) {
// CHECK-NEXT: %0 = graph.max_pool2d %x {kernel = array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x7x7xf32>
// CHECK-NEXT: %1 = graph.max_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
// CHECK-NEXT: %2 = graph.max_pool2d %x {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
// CHECK-NEXT: %3 = graph.max_pool2d %x {kernel = array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x7x7xf32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "max_pool2d"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<1x3x8x8xf32>):
// CHECK-GENERIC-NEXT: %0 = "graph.max_pool2d"(%x) <{kernel = array<i64: 2, 2>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>}> : (tensor<1x3x8x8xf32>) -> tensor<1x3x7x7xf32>
// CHECK-GENERIC-NEXT: %1 = "graph.max_pool2d"(%x) <{kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>}> : (tensor<1x3x8x8xf32>) -> tensor<1x3x4x4xf32>
// CHECK-GENERIC-NEXT: %2 = "graph.max_pool2d"(%x) <{kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>}> : (tensor<1x3x8x8xf32>) -> tensor<1x3x4x4xf32>
// CHECK-GENERIC-NEXT: %3 = "graph.max_pool2d"(%x) <{kernel = array<i64: 2, 2>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>}> : (tensor<1x3x8x8xf32>) -> tensor<1x3x7x7xf32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @max_pool2d(%x: tensor<1x3x8x8xf32>) {
  %0 = graph.max_pool2d %x {kernel = array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x7x7xf32>
  %1 = graph.max_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
  %2 = graph.max_pool2d %x {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
  %3 = graph.max_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>} : tensor<1x3x8x8xf32> -> tensor<1x3x7x7xf32>
  func.return
}

// -----

// CHECK-LABEL: func.func @avg_pool2d(%x: tensor<1x3x8x8xf32>) {
// CHECK-NEXT: %0 = graph.avg_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
// CHECK-NEXT: %1 = graph.avg_pool2d %x {kernel = array<i64: 8, 8>} : tensor<1x3x8x8xf32> -> tensor<1x3x1x1xf32>
// CHECK-NEXT: %2 = graph.avg_pool2d %x {kernel = array<i64: 3, 1>, padding = array<i64: 1, 0, 1, 0>} : tensor<1x3x8x8xf32> -> tensor<1x3x8x8xf32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "avg_pool2d"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<1x3x8x8xf32>):
// CHECK-GENERIC-NEXT: %0 = "graph.avg_pool2d"(%x) <{kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>}> : (tensor<1x3x8x8xf32>) -> tensor<1x3x4x4xf32>
// CHECK-GENERIC-NEXT: %1 = "graph.avg_pool2d"(%x) <{kernel = array<i64: 8, 8>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>}> : (tensor<1x3x8x8xf32>) -> tensor<1x3x1x1xf32>
// CHECK-GENERIC-NEXT: %2 = "graph.avg_pool2d"(%x) <{kernel = array<i64: 3, 1>, padding = array<i64: 1, 0, 1, 0>, stride = array<i64: 1, 1>}> : (tensor<1x3x8x8xf32>) -> tensor<1x3x8x8xf32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @avg_pool2d(%x: tensor<1x3x8x8xf32>) {
  %0 = graph.avg_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
  %1 = graph.avg_pool2d %x {kernel = array<i64: 8, 8>} : tensor<1x3x8x8xf32> -> tensor<1x3x1x1xf32>
  %2 = graph.avg_pool2d %x {kernel = array<i64: 3, 1>, padding = array<i64: 1, 0, 1, 0>} : tensor<1x3x8x8xf32> -> tensor<1x3x8x8xf32>
  func.return
}

// -----

// CHECK-LABEL: func.func @pool_f16_dynamic(%x: tensor<?x64x?x56xf16>) {
// CHECK-NEXT: %0 = graph.max_pool2d %x {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<?x64x?x56xf16> -> tensor<?x64x?x28xf16>
// CHECK-NEXT: %1 = graph.avg_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<?x64x?x56xf16> -> tensor<?x64x?x28xf16>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "pool_f16_dynamic"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<?x64x?x56xf16>):
// CHECK-GENERIC-NEXT: %0 = "graph.max_pool2d"(%x) <{kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>}> : (tensor<?x64x?x56xf16>) -> tensor<?x64x?x28xf16>
// CHECK-GENERIC-NEXT: %1 = "graph.avg_pool2d"(%x) <{kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>}> : (tensor<?x64x?x56xf16>) -> tensor<?x64x?x28xf16>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @pool_f16_dynamic(%x: tensor<?x64x?x56xf16>) {
  %0 = graph.max_pool2d %x {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<?x64x?x56xf16> -> tensor<?x64x?x28xf16>
  %1 = graph.avg_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<?x64x?x56xf16> -> tensor<?x64x?x28xf16>
  func.return
}

// -----

// CHECK-LABEL: func.func @pool_bf16(%x: tensor<2x8x4x4xbf16>) {
// CHECK-NEXT: %0 = graph.avg_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<2x8x4x4xbf16> -> tensor<2x8x2x2xbf16>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "pool_bf16"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<2x8x4x4xbf16>):
// CHECK-GENERIC-NEXT: %0 = "graph.avg_pool2d"(%x) <{kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>}> : (tensor<2x8x4x4xbf16>) -> tensor<2x8x2x2xbf16>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @pool_bf16(%x: tensor<2x8x4x4xbf16>) {
  %0 = graph.avg_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : tensor<2x8x4x4xbf16> -> tensor<2x8x2x2xbf16>
  func.return
}
