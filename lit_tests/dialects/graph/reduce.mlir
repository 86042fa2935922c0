// RUN: ge-opt %s --split-input-file | filecheck %s
// RUN: GE_ROUNDTRIP
// RUN: GE_GENERIC_ROUNDTRIP

// graph.reduce_sum / reduce_mean / reduce_max: axes (negative counts from the end), the keepdims
// unit property, reductions to a scalar, integer and dynamic tensors.

// CHECK-LABEL: func.func @reduce(%x: tensor<2x3x4xf32>) {
// CHECK-NEXT: %0 = graph.reduce_sum %x {axes = array<i64: 1>} : tensor<2x3x4xf32> -> tensor<2x4xf32>
// CHECK-NEXT: %1 = graph.reduce_sum %x {axes = array<i64: 1>, keepdims} : tensor<2x3x4xf32> -> tensor<2x1x4xf32>
// CHECK-NEXT: %2 = graph.reduce_mean %x {axes = array<i64: -1>} : tensor<2x3x4xf32> -> tensor<2x3xf32>
// CHECK-NEXT: %3 = graph.reduce_max %x {axes = array<i64: 0, 2>, keepdims} : tensor<2x3x4xf32> -> tensor<1x3x1xf32>
// CHECK-NEXT: %4 = graph.reduce_sum %x {axes = array<i64: 0, 1, 2>} : tensor<2x3x4xf32> -> tensor<f32>
// CHECK-NEXT: %5 = graph.reduce_mean %x {axes = array<i64: 2, 0>} : tensor<2x3x4xf32> -> tensor<3xf32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "reduce"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<2x3x4xf32>):
// CHECK-GENERIC-NEXT: %0 = "graph.reduce_sum"(%x) <{axes = array<i64: 1>}> : (tensor<2x3x4xf32>) -> tensor<2x4xf32>
// CHECK-GENERIC-NEXT: %1 = "graph.reduce_sum"(%x) <{axes = array<i64: 1>, keepdims}> : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
// CHECK-GENERIC-NEXT: %2 = "graph.reduce_mean"(%x) <{axes = array<i64: -1>}> : (tensor<2x3x4xf32>) -> tensor<2x3xf32>
// CHECK-GENERIC-NEXT: %3 = "graph.reduce_max"(%x) <{axes = array<i64: 0, 2>, keepdims}> : (tensor<2x3x4xf32>) -> tensor<1x3x1xf32>
// CHECK-GENERIC-NEXT: %4 = "graph.reduce_sum"(%x) <{axes = array<i64: 0, 1, 2>}> : (tensor<2x3x4xf32>) -> tensor<f32>
// CHECK-GENERIC-NEXT: %5 = "graph.reduce_mean"(%x) <{axes = array<i64: 2, 0>}> : (tensor<2x3x4xf32>) -> tensor<3xf32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @reduce(%x: tensor<2x3x4xf32>) {
  %0 = graph.reduce_sum %x {axes = array<i64: 1>} : tensor<2x3x4xf32> -> tensor<2x4xf32>
  %1 = graph.reduce_sum %x {axes = array<i64: 1>, keepdims} : tensor<2x3x4xf32> -> tensor<2x1x4xf32>
  %2 = graph.reduce_mean %x {axes = array<i64: -1>} : tensor<2x3x4xf32> -> tensor<2x3xf32>
  %3 = graph.reduce_max %x {axes = array<i64: 0, 2>, keepdims} : tensor<2x3x4xf32> -> tensor<1x3x1xf32>
  %4 = graph.reduce_sum %x {axes = array<i64: 0, 1, 2>} : tensor<2x3x4xf32> -> tensor<f32>
  %5 = graph.reduce_mean %x {axes = array<i64: 2, 0>} : tensor<2x3x4xf32> -> tensor<3xf32>
  func.return
}

// -----

// CHECK-LABEL: func.func @reduce_int(%x: tensor<8x16xi32>, %y: tensor<5xi64>, %m: tensor<4x4xi8>) {
// CHECK-NEXT: %0 = graph.reduce_sum %x {axes = array<i64: 0>} : tensor<8x16xi32> -> tensor<16xi32>
// CHECK-NEXT: %1 = graph.reduce_max %y {axes = array<i64: 0>, keepdims} : tensor<5xi64> -> tensor<1xi64>
// CHECK-NEXT: %2 = graph.reduce_max %m {axes = array<i64: -2>} : tensor<4x4xi8> -> tensor<4xi8>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "reduce_int"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<8x16xi32>, %y: tensor<5xi64>, %m: tensor<4x4xi8>):
// CHECK-GENERIC-NEXT: %0 = "graph.reduce_sum"(%x) <{axes = array<i64: 0>}> : (tensor<8x16xi32>) -> tensor<16xi32>
// CHECK-GENERIC-NEXT: %1 = "graph.reduce_max"(%y) <{axes = array<i64: 0>, keepdims}> : (tensor<5xi64>) -> tensor<1xi64>
// CHECK-GENERIC-NEXT: %2 = "graph.reduce_max"(%m) <{axes = array<i64: -2>}> : (tensor<4x4xi8>) -> tensor<4xi8>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @reduce_int(%x: tensor<8x16xi32>, %y: tensor<5xi64>, %m: tensor<4x4xi8>) {
  %0 = graph.reduce_sum %x {axes = array<i64: 0>} : tensor<8x16xi32> -> tensor<16xi32>
  %1 = graph.reduce_max %y {axes = array<i64: 0>, keepdims} : tensor<5xi64> -> tensor<1xi64>
  %2 = graph.reduce_max %m {axes = array<i64: -2>} : tensor<4x4xi8> -> tensor<4xi8>
  func.return
}

// -----

// CHECK-LABEL: func.func @reduce_f16_dynamic(%x: tensor<?x77x768xf16>) -> tensor<?x77x1xf16> {
// CHECK-NEXT: %0 = graph.reduce_mean %x {axes = array<i64: -1>, keepdims} : tensor<?x77x768xf16> -> tensor<?x77x1xf16>
// CHECK-NEXT: %1 = graph.reduce_sum %x {axes = array<i64: 0>} : tensor<?x77x768xf16> -> tensor<77x768xf16>
// CHECK-NEXT: func.return %0 : tensor<?x77x1xf16>
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "reduce_f16_dynamic"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<?x77x768xf16>):
// CHECK-GENERIC-NEXT: %0 = "graph.reduce_mean"(%x) <{axes = array<i64: -1>, keepdims}> : (tensor<?x77x768xf16>) -> tensor<?x77x1xf16>
// CHECK-GENERIC-NEXT: %1 = "graph.reduce_sum"(%x) <{axes = array<i64: 0>}> : (tensor<?x77x768xf16>) -> tensor<77x768xf16>
// CHECK-GENERIC-NEXT: "func.return"(%0) : (tensor<?x77x1xf16>) -> ()
func.func @reduce_f16_dynamic(%x: tensor<?x77x768xf16>) -> tensor<?x77x1xf16> {
  %0 = graph.reduce_mean %x {axes = array<i64: -1>, keepdims} : tensor<?x77x768xf16> -> tensor<?x77x1xf16>
  %1 = graph.reduce_sum %x {axes = array<i64: 0>} : tensor<?x77x768xf16> -> tensor<77x768xf16>
  func.return %0 : tensor<?x77x1xf16>
}

// -----

// CHECK-LABEL: func.func @reduce_bf16(%x: tensor<4x?xbf16>) {
// CHECK-NEXT: %0 = graph.reduce_max %x {axes = array<i64: 1>} : tensor<4x?xbf16> -> tensor<4xbf16>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "reduce_bf16"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<4x?xbf16>):
// CHECK-GENERIC-NEXT: %0 = "graph.reduce_max"(%x) <{axes = array<i64: 1>}> : (tensor<4x?xbf16>) -> tensor<4xbf16>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @reduce_bf16(%x: tensor<4x?xbf16>) {
  %0 = graph.reduce_max %x {axes = array<i64: 1>} : tensor<4x?xbf16> -> tensor<4xbf16>
  func.return
}
