// RUN: ge-opt %s --split-input-file | filecheck %s
// RUN: GE_ROUNDTRIP
// RUN: GE_GENERIC_ROUNDTRIP

// graph.resize: NCHW to the result's H and W; mode "nearest" (default, elided) or "bilinear".

// CHECK-LABEL: func.func @resize(%x: tensor<1x3x8x8xf32>) {
// CHECK-NEXT: %0 = graph.resize %x : tensor<1x3x8x8xf32> -> tensor<1x3x16x16xf32>
// CHECK-NEXT: %1 = graph.resize %x : tensor<1x3x8x8xf32> -> tensor<1x3x16x16xf32>
// CHECK-NEXT: %2 = graph.resize %x {mode = "bilinear"} : tensor<1x3x8x8xf32> -> tensor<1x3x4x6xf32>
// CHECK-NEXT: %3 = graph.resize %x : tensor<1x3x8x8xf32> -> tensor<1x3x8x8xf32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "resize"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<1x3x8x8xf32>):
// CHECK-GENERIC-NEXT: %0 = "graph.resize"(%x) <{mode = "nearest"}> : (tensor<1x3x8x8xf32>) -> tensor<1x3x16x16xf32>
// CHECK-GENERIC-NEXT: %1 = "graph.resize"(%x) <{mode = "nearest"}> : (tensor<1x3x8x8xf32>) -> tensor<1x3x16x16xf32>
// CHECK-GENERIC-NEXT: %2 = "graph.resize"(%x) <{mode = "bilinear"}> : (tensor<1x3x8x8xf32>) -> tensor<1x3x4x6xf32>
// CHECK-GENERIC-NEXT: %3 = "graph.resize"(%x) <{mode = "nearest"}> : (tensor<1x3x8x8xf32>) -> tensor<1x3x8x8xf32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @resize(%x: tensor<1x3x8x8xf32>) {
  %0 = graph.resize %x : tensor<1x3x8x8xf32> -> tensor<1x3x16x16xf32>
  %1 = graph.resize %x {mode = "nearest"} : tensor<1x3x8x8xf32> -> tensor<1x3x16x16xf32>
  %2 = graph.resize %x {mode = "bilinear"} : tensor<1x3x8x8xf32> -> tensor<1x3x4x6xf32>
  %3 = graph.resize %x : tensor<1x3x8x8xf32> -> tensor<1x3x8x8xf32>
  func.return
}

// -----

// CHECK-LABEL: func.func @resize_f16_dynamic(%x: tensor<?x320x?x?xf16>) -> tensor<?x320x64x64xf16> {
// CHECK-NEXT: %0 = graph.resize %x : tensor<?x320x?x?xf16> -> tensor<?x320x64x64xf16>
// CHECK-NEXT: %1 = graph.resize %x {mode = "bilinear"} : tensor<?x320x?x?xf16> -> tensor<?x320x?x?xf16>
// CHECK-NEXT: func.return %0 : tensor<?x320x64x64xf16>
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "resize_f16_dynamic"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<?x320x?x?xf16>):
// CHECK-GENERIC-NEXT: %0 = "graph.resize"(%x) <{mode = "nearest"}> : (tensor<?x320x?x?xf16>) -> tensor<?x320x64x64xf16>
// CHECK-GENERIC-NEXT: %1 = "graph.resize"(%x) <{mode = "bilinear"}> : (tensor<?x320x?x?xf16>) -> tensor<?x320x?x?xf16>
// CHECK-GENERIC-NEXT: "func.return"(%0) : (tensor<?x320x64x64xf16>) -> ()
func.func @resize_f16_dynamic(%x: tensor<?x320x?x?xf16>) -> tensor<?x320x64x64xf16> {
  %0 = graph.resize %x : tensor<?x320x?x?xf16> -> tensor<?x320x64x64xf16>
  %1 = graph.resize %x {mode = "bilinear"} : tensor<?x320x?x?xf16> -> tensor<?x320x?x?xf16>
  func.return %0 : tensor<?x320x64x64xf16>
}

// -----

// CHECK-LABEL: func.func @resize_bf16(%x: tensor<2x4x5x7xbf16>) {
// CHECK-NEXT: %0 = graph.resize %x {mode = "bilinear"} : tensor<2x4x5x7xbf16> -> tensor<2x4x10x14xbf16>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "resize_bf16"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<2x4x5x7xbf16>):
// CHECK-GENERIC-NEXT: %0 = "graph.resize"(%x) <{mode = "bilinear"}> : (tensor<2x4x5x7xbf16>) -> tensor<2x4x10x14xbf16>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @resize_bf16(%x: tensor<2x4x5x7xbf16>) {
  %0 = graph.resize %x {mode = "bilinear"} : tensor<2x4x5x7xbf16> -> tensor<2x4x10x14xbf16>
  func.return
}
