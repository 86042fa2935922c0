// RUN: ge-opt %s --split-input-file | filecheck %s
// RUN: GE_ROUNDTRIP
// RUN: GE_GENERIC_ROUNDTRIP

// graph.softmax: axis defaults to -1 (elided, also when written explicitly).

// CHECK-LABEL: func.func @softmax(%x: tensor<2x3x4xf32>) {
// CHECK-NEXT: %0 = graph.softmax %x : tensor<2x3x4xf32>
// CHECK-NEXT: %1 = graph.softmax %x : tensor<2x3x4xf32>
// CHECK-NEXT: %2 = graph.softmax %x {axis = 1 : i64} : tensor<2x3x4xf32>
// CHECK-NEXT: %3 = graph.softmax %x {axis = -3 : i64} : tensor<2x3x4xf32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "softmax"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<2x3x4xf32>):
// CHECK-GENERIC-NEXT: %0 = "graph.softmax"(%x) <{axis = -1 : i64}> : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK-GENERIC-NEXT: %1 = "graph.softmax"(%x) <{axis = -1 : i64}> : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK-GENERIC-NEXT: %2 = "graph.softmax"(%x) <{axis = 1 : i64}> : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK-GENERIC-NEXT: %3 = "graph.softmax"(%x) <{axis = -3 : i64}> : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @softmax(%x: tensor<2x3x4xf32>) {
  %0 = graph.softmax %x : tensor<2x3x4xf32>
  %1 = graph.softmax %x {axis = -1 : i64} : tensor<2x3x4xf32>
  %2 = graph.softmax %x {axis = 1 : i64} : tensor<2x3x4xf32>
  %3 = graph.softmax %x {axis = -3 : i64} : tensor<2x3x4xf32>
  func.return
}

// -----

// CHECK-LABEL: func.func @softmax_f16_dynamic(%x: tensor<?x12x77x77xf16>) -> tensor<?x12x77x77xf16> {
// CHECK-NEXT: %0 = graph.softmax %x : tensor<?x12x77x77xf16>
// CHECK-NEXT: func.return %0 : tensor<?x12x77x77xf16>
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "softmax_f16_dynamic"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<?x12x77x77xf16>):
// CHECK-GENERIC-NEXT: %0 = "graph.softmax"(%x) <{axis = -1 : i64}> : (tensor<?x12x77x77xf16>) -> tensor<?x12x77x77xf16>
// CHECK-GENERIC-NEXT: "func.return"(%0) : (tensor<?x12x77x77xf16>) -> ()
func.func @softmax_f16_dynamic(%x: tensor<?x12x77x77xf16>) -> tensor<?x12x77x77xf16> {
  %0 = graph.softmax %x : tensor<?x12x77x77xf16>
  func.return %0 : tensor<?x12x77x77xf16>
}

// -----

// CHECK-LABEL: func.func @softmax_bf16(%x: tensor<?x?xbf16>) {
// CHECK-NEXT: %0 = graph.softmax %x {axis = 0 : i64} : tensor<?x?xbf16>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "softmax_bf16"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<?x?xbf16>):
// CHECK-GENERIC-NEXT: %0 = "graph.softmax"(%x) <{axis = 0 : i64}> : (tensor<?x?xbf16>) -> tensor<?x?xbf16>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @softmax_bf16(%x: tensor<?x?xbf16>) {
  %0 = graph.softmax %x {axis = 0 : i64} : tensor<?x?xbf16>
  func.return
}
