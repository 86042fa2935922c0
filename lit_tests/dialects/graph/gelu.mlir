// RUN: ge-opt %s --split-input-file | filecheck %s
// RUN: GE_ROUNDTRIP
// RUN: GE_GENERIC_ROUNDTRIP

// graph.gelu: the default approximate = "none" is elided in the custom form (also when written
// explicitly) but always present in the generic form; "tanh" is kept.

// CHECK-LABEL: func.func @gelu_default(%x: tensor<2x3xf32>) {
// CHECK-NEXT: %0 = graph.gelu %x : tensor<2x3xf32>
// CHECK-NEXT: %1 = graph.gelu %x : tensor<2x3xf32>
// CHECK-NEXT: %2 = graph.gelu %x {approximate = "tanh"} : tensor<2x3xf32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "gelu_default"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<2x3xf32>):
// CHECK-GENERIC-NEXT: %0 = "graph.gelu"(%x) <{approximate = "none"}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-GENERIC-NEXT: %1 = "graph.gelu"(%x) <{approximate = "none"}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-GENERIC-NEXT: %2 = "graph.gelu"(%x) <{approximate = "tanh"}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @gelu_default(%x: tensor<2x3xf32>) {
  %0 = graph.gelu %x : tensor<2x3xf32>
  %1 = graph.gelu %x {approximate = "none"} : tensor<2x3xf32>
  %2 = graph.gelu %x {approximate = "tanh"} : tensor<2x3xf32>
  func.return
}

// -----

// CHECK-LABEL: func.func @gelu_f16_dynamic(%x: tensor<?x77x3072xf16>) -> tensor<?x77x3072xf16> {
// CHECK-NEXT: %0 = graph.gelu %x {approximate = "tanh"} : tensor<?x77x3072xf16>
// CHECK-NEXT: func.return %0 : tensor<?x77x3072xf16>
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "gelu_f16_dynamic"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<?x77x3072xf16>):
// CHECK-GENERIC-NEXT: %0 = "graph.gelu"(%x) <{approximate = "tanh"}> : (tensor<?x77x3072xf16>) -> tensor<?x77x3072xf16>
// CHECK-GENERIC-NEXT: "func.return"(%0) : (tensor<?x77x3072xf16>) -> ()
func.func @gelu_f16_dynamic(%x: tensor<?x77x3072xf16>) -> tensor<?x77x3072xf16> {
  %0 = graph.gelu %x {approximate = "tanh"} : tensor<?x77x3072xf16>
  func.return %0 : tensor<?x77x3072xf16>
}

// -----

// CHECK-LABEL: func.func @gelu_bf16(%x: tensor<4x?xbf16>) {
// CHECK-NEXT: %0 = graph.gelu %x : tensor<4x?xbf16>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "gelu_bf16"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<4x?xbf16>):
// CHECK-GENERIC-NEXT: %0 = "graph.gelu"(%x) <{approximate = "none"}> : (tensor<4x?xbf16>) -> tensor<4x?xbf16>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @gelu_bf16(%x: tensor<4x?xbf16>) {
  %0 = graph.gelu %x : tensor<4x?xbf16>
  func.return
}
