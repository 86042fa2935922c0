// RUN: ge-opt %s --split-input-file | filecheck %s
// RUN: GE_ROUNDTRIP
// RUN: GE_GENERIC_ROUNDTRIP

// graph.conv2d: NCHW x OIHW, optional bias, stride/padding/dilation/groups with defaults that
// the custom form elides (also when written explicitly) and the generic form always prints.

// CHECK-LABEL: func.func @conv2d_defaults(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
// CHECK-NEXT: %0 = graph.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
// CHECK-NEXT: %1 = graph.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "conv2d_defaults"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>):
// CHECK-GENERIC-NEXT: %0 = "graph.conv2d"(%x, %w) <{stride = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, groups = 1 : i64}> : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
// CHECK-GENERIC-NEXT: %1 = "graph.conv2d"(%x, %w) <{stride = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, groups = 1 : i64}> : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @conv2d_defaults(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  %0 = graph.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  %1 = graph.conv2d %x, %w {stride = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, groups = 1 : i64} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  func.return
}

// -----

// CHECK-LABEL: func.func @conv2d_bias(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) {
// CHECK-NEXT: %0 = graph.conv2d %x, %w, %b : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "conv2d_bias"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>):
// CHECK-GENERIC-NEXT: %0 = "graph.conv2d"(%x, %w, %b) <{stride = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, groups = 1 : i64}> : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @conv2d_bias(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) {
  %0 = graph.conv2d %x, %w, %b : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  func.return
}

// -----

// CHECK-LABEL: func.func @conv2d_stem(%x: tensor<1x3x224x224xf32>, %w: tensor<64x3x7x7xf32>, %b: tensor<64xf32>) {
// CHECK-NEXT: %0 = graph.conv2d %x, %w, %b {stride = array<i64: 2, 2>, padding = array<i64: 3, 3, 3, 3>} : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<1x64x112x112xf32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "conv2d_stem"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<1x3x224x224xf32>, %w: tensor<64x3x7x7xf32>, %b: tensor<64xf32>):
// CHECK-GENERIC-NEXT: %0 = "graph.conv2d"(%x, %w, %b) <{stride = array<i64: 2, 2>, padding = array<i64: 3, 3, 3, 3>, dilation = array<i64: 1, 1>, groups = 1 : i64}> : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<1x64x112x112xf32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @conv2d_stem(%x: tensor<1x3x224x224xf32>, %w: tensor<64x3x7x7xf32>, %b: tensor<64xf32>) {
  %0 = graph.conv2d %x, %w, %b {stride = array<i64: 2, 2>, padding = array<i64: 3, 3, 3, 3>} : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<1x64x112x112xf32>
  func.return
}

// -----

// CHECK-LABEL: func.func @conv2d_dilation_asymmetric_padding(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
// CHECK-NEXT: %0 = graph.conv2d %x, %w {dilation = array<i64: 2, 2>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x4x4xf32>
// CHECK-NEXT: %1 = graph.conv2d %x, %w {padding = array<i64: 0, 1, 2, 3>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x10xf32>
// CHECK-NEXT: %2 = graph.conv2d %x, %w {stride = array<i64: 1, 2>, dilation = array<i64: 1, 2>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x2xf32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "conv2d_dilation_asymmetric_padding"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>):
// CHECK-GENERIC-NEXT: %0 = "graph.conv2d"(%x, %w) <{dilation = array<i64: 2, 2>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, groups = 1 : i64}> : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x4x4xf32>
// CHECK-GENERIC-NEXT: %1 = "graph.conv2d"(%x, %w) <{padding = array<i64: 0, 1, 2, 3>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>, groups = 1 : i64}> : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x10xf32>
// CHECK-GENERIC-NEXT: %2 = "graph.conv2d"(%x, %w) <{stride = array<i64: 1, 2>, dilation = array<i64: 1, 2>, padding = array<i64: 0, 0, 0, 0>, groups = 1 : i64}> : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x2xf32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @conv2d_dilation_asymmetric_padding(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  %0 = graph.conv2d %x, %w {dilation = array<i64: 2, 2>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x4x4xf32>
  %1 = graph.conv2d %x, %w {padding = array<i64: 0, 1, 2, 3>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x10xf32>
  %2 = graph.conv2d %x, %w {stride = array<i64: 1, 2>, dilation = array<i64: 1, 2>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x2xf32>
  func.return
}

// -----

// CHECK-LABEL: func.func @conv2d_groups(%x: tensor<1x32x16x16xf32>, %dw: tensor<32x1x3x3xf32>, %y: tensor<1x4x8x8xf32>, %gw: tensor<6x2x3x3xf32>) {
// CHECK-NEXT: %0 = graph.conv2d %x, %dw {padding = array<i64: 1, 1, 1, 1>, groups = 32 : i64} : (tensor<1x32x16x16xf32>, tensor<32x1x3x3xf32>) -> tensor<1x32x16x16xf32>
// CHECK-NEXT: %1 = graph.conv2d %y, %gw {groups = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "conv2d_groups"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<1x32x16x16xf32>, %dw: tensor<32x1x3x3xf32>, %y: tensor<1x4x8x8xf32>, %gw: tensor<6x2x3x3xf32>):
// CHECK-GENERIC-NEXT: %0 = "graph.conv2d"(%x, %dw) <{padding = array<i64: 1, 1, 1, 1>, groups = 32 : i64, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>}> : (tensor<1x32x16x16xf32>, tensor<32x1x3x3xf32>) -> tensor<1x32x16x16xf32>
// CHECK-GENERIC-NEXT: %1 = "graph.conv2d"(%y, %gw) <{groups = 2 : i64, stride = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>}> : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @conv2d_groups(%x: tensor<1x32x16x16xf32>, %dw: tensor<32x1x3x3xf32>, %y: tensor<1x4x8x8xf32>, %gw: tensor<6x2x3x3xf32>) {
  %0 = graph.conv2d %x, %dw {padding = array<i64: 1, 1, 1, 1>, groups = 32 : i64} : (tensor<1x32x16x16xf32>, tensor<32x1x3x3xf32>) -> tensor<1x32x16x16xf32>
  %1 = graph.conv2d %y, %gw {groups = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32>
  func.return
}

// -----

// CHECK-LABEL: func.func @conv2d_f16_dynamic(%x: tensor<?x4x?x64xf16>, %w: tensor<8x4x3x3xf16>, %b: tensor<8xf16>) -> tensor<?x8x?x62xf16> {
// CHECK-NEXT: %0 = graph.conv2d %x, %w, %b : (tensor<?x4x?x64xf16>, tensor<8x4x3x3xf16>, tensor<8xf16>) -> tensor<?x8x?x62xf16>
// CHECK-NEXT: func.return %0 : tensor<?x8x?x62xf16>
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "conv2d_f16_dynamic"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<?x4x?x64xf16>, %w: tensor<8x4x3x3xf16>, %b: tensor<8xf16>):
// CHECK-GENERIC-NEXT: %0 = "graph.conv2d"(%x, %w, %b) <{stride = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, groups = 1 : i64}> : (tensor<?x4x?x64xf16>, tensor<8x4x3x3xf16>, tensor<8xf16>) -> tensor<?x8x?x62xf16>
// CHECK-GENERIC-NEXT: "func.return"(%0) : (tensor<?x8x?x62xf16>) -> ()
func.func @conv2d_f16_dynamic(%x: tensor<?x4x?x64xf16>, %w: tensor<8x4x3x3xf16>, %b: tensor<8xf16>) -> tensor<?x8x?x62xf16> {
  %0 = graph.conv2d %x, %w, %b : (tensor<?x4x?x64xf16>, tensor<8x4x3x3xf16>, tensor<8xf16>) -> tensor<?x8x?x62xf16>
  func.return %0 : tensor<?x8x?x62xf16>
}

// -----

// CHECK-LABEL: func.func @conv2d_bf16_pointwise(%x: tensor<2x320x64x64xbf16>, %w: tensor<640x320x1x1xbf16>) {
// CHECK-NEXT: %0 = graph.conv2d %x, %w : (tensor<2x320x64x64xbf16>, tensor<640x320x1x1xbf16>) -> tensor<2x640x64x64xbf16>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "conv2d_bf16_pointwise"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<2x320x64x64xbf16>, %w: tensor<640x320x1x1xbf16>):
// CHECK-GENERIC-NEXT: %0 = "graph.conv2d"(%x, %w) <{stride = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, groups = 1 : i64}> : (tensor<2x320x64x64xbf16>, tensor<640x320x1x1xbf16>) -> tensor<2x640x64x64xbf16>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @conv2d_bf16_pointwise(%x: tensor<2x320x64x64xbf16>, %w: tensor<640x320x1x1xbf16>) {
  %0 = graph.conv2d %x, %w : (tensor<2x320x64x64xbf16>, tensor<640x320x1x1xbf16>) -> tensor<2x640x64x64xbf16>
  func.return
}
