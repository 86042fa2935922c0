// RUN: ge-opt %s --split-input-file | filecheck %s
// RUN: GE_ROUNDTRIP
// RUN: GE_GENERIC_ROUNDTRIP

// graph.layer_norm / group_norm / rms_norm: epsilon defaults to 1.0e-05 : f32 (elided), layer_norm
// axis defaults to -1 (elided), group_norm's num_groups is required.

// CHECK-LABEL: func.func @layer_norm(%x: tensor<2x6x8xf32>, %w: tensor<8xf32>, %b: tensor<8xf32>, %w2: tensor<6x8xf32>, %b2: tensor<6x8xf32>) {
// CHECK-NEXT: %0 = graph.layer_norm %x, %w, %b : (tensor<2x6x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x6x8xf32>
// CHECK-NEXT: %1 = graph.layer_norm %x, %w, %b : (tensor<2x6x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x6x8xf32>
// CHECK-NEXT: %2 = graph.layer_norm %x, %w2, %b2 {axis = 1 : i64, epsilon = 1.000000e-06 : f32} : (tensor<2x6x8xf32>, tensor<6x8xf32>, tensor<6x8xf32>) -> tensor<2x6x8xf32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "layer_norm"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<2x6x8xf32>, %w: tensor<8xf32>, %b: tensor<8xf32>, %w2: tensor<6x8xf32>, %b2: tensor<6x8xf32>):
// CHECK-GENERIC-NEXT: %0 = "graph.layer_norm"(%x, %w, %b) <{axis = -1 : i64, epsilon = 1.000000e-05 : f32}> : (tensor<2x6x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x6x8xf32>
// CHECK-GENERIC-NEXT: %1 = "graph.layer_norm"(%x, %w, %b) <{axis = -1 : i64, epsilon = 1.000000e-05 : f32}> : (tensor<2x6x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x6x8xf32>
// CHECK-GENERIC-NEXT: %2 = "graph.layer_norm"(%x, %w2, %b2) <{axis = 1 : i64, epsilon = 1.000000e-06 : f32}> : (tensor<2x6x8xf32>, tensor<6x8xf32>, tensor<6x8xf32>) -> tensor<2x6x8xf32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @layer_norm(%x: tensor<2x6x8xf32>, %w: tensor<8xf32>, %b: tensor<8xf32>, %w2: tensor<6x8xf32>, %b2: tensor<6x8xf32>) {
  %0 = graph.layer_norm %x, %w, %b : (tensor<2x6x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x6x8xf32>
  %1 = graph.layer_norm %x, %w, %b {axis = -1 : i64, epsilon = 1.0e-05 : f32} : (tensor<2x6x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x6x8xf32>
  %2 = graph.layer_norm %x, %w2, %b2 {axis = 1 : i64, epsilon = 1.0e-06 : f32} : (tensor<2x6x8xf32>, tensor<6x8xf32>, tensor<6x8xf32>) -> tensor<2x6x8xf32>
  func.return
}

// -----

// CHECK-LABEL: func.func @layer_norm_f16_dynamic(%x: tensor<?x77x768xf16>, %w: tensor<768xf16>, %b: tensor<768xf16>) -> tensor<?x77x768xf16> {
// CHECK-NEXT: %0 = graph.layer_norm %x, %w, %b {epsilon = 1.001360e-05 : f16} : (tensor<?x77x768xf16>, tensor<768xf16>, tensor<768xf16>) -> tensor<?x77x768xf16>
// CHECK-NEXT: func.return %0 : tensor<?x77x768xf16>
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "layer_norm_f16_dynamic"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<?x77x768xf16>, %w: tensor<768xf16>, %b: tensor<768xf16>):
// CHECK-GENERIC-NEXT: %0 = "graph.layer_norm"(%x, %w, %b) <{epsilon = 1.001360e-05 : f16, axis = -1 : i64}> : (tensor<?x77x768xf16>, tensor<768xf16>, tensor<768xf16>) -> tensor<?x77x768xf16>
// CHECK-GENERIC-NEXT: "func.return"(%0) : (tensor<?x77x768xf16>) -> ()
func.func @layer_norm_f16_dynamic(%x: tensor<?x77x768xf16>, %w: tensor<768xf16>, %b: tensor<768xf16>) -> tensor<?x77x768xf16> {
  %0 = graph.layer_norm %x, %w, %b {epsilon = 1.0e-05 : f16} : (tensor<?x77x768xf16>, tensor<768xf16>, tensor<768xf16>) -> tensor<?x77x768xf16>
  func.return %0 : tensor<?x77x768xf16>
}

// -----

// CHECK-LABEL: func.func @group_norm(%x: tensor<1x64x32x32xf32>, %w: tensor<64xf32>, %b: tensor<64xf32>, %s: tensor<2x64x10xf32>) {
// CHECK-NEXT: %0 = graph.group_norm %x, %w, %b {num_groups = 32 : i64} : (tensor<1x64x32x32xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x64x32x32xf32>
// CHECK-NEXT: %1 = graph.group_norm %x, %w, %b {num_groups = 1 : i64, epsilon = 1.000000e-06 : f32} : (tensor<1x64x32x32xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x64x32x32xf32>
// CHECK-NEXT: %2 = graph.group_norm %s, %w, %b {num_groups = 64 : i64} : (tensor<2x64x10xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x64x10xf32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "group_norm"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<1x64x32x32xf32>, %w: tensor<64xf32>, %b: tensor<64xf32>, %s: tensor<2x64x10xf32>):
// CHECK-GENERIC-NEXT: %0 = "graph.group_norm"(%x, %w, %b) <{num_groups = 32 : i64, epsilon = 1.000000e-05 : f32}> : (tensor<1x64x32x32xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x64x32x32xf32>
// CHECK-GENERIC-NEXT: %1 = "graph.group_norm"(%x, %w, %b) <{num_groups = 1 : i64, epsilon = 1.000000e-06 : f32}> : (tensor<1x64x32x32xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x64x32x32xf32>
// CHECK-GENERIC-NEXT: %2 = "graph.group_norm"(%s, %w, %b) <{num_groups = 64 : i64, epsilon = 1.000000e-05 : f32}> : (tensor<2x64x10xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x64x10xf32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @group_norm(%x: tensor<1x64x32x32xf32>, %w: tensor<64xf32>, %b: tensor<64xf32>, %s: tensor<2x64x10xf32>) {
  %0 = graph.group_norm %x, %w, %b {num_groups = 32 : i64} : (tensor<1x64x32x32xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x64x32x32xf32>
  %1 = graph.group_norm %x, %w, %b {num_groups = 1 : i64, epsilon = 1.0e-06 : f32} : (tensor<1x64x32x32xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x64x32x32xf32>
  %2 = graph.group_norm %s, %w, %b {num_groups = 64 : i64} : (tensor<2x64x10xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x64x10xf32>
  func.return
}

// -----

// CHECK-LABEL: func.func @group_norm_f16_dynamic(%x: tensor<?x320x?x?xf16>, %w: tensor<320xf16>, %b: tensor<320xf16>, %y: tensor<1x?x8x8xf16>, %v: tensor<?xf16>) {
// CHECK-NEXT: %0 = graph.group_norm %x, %w, %b {num_groups = 32 : i64} : (tensor<?x320x?x?xf16>, tensor<320xf16>, tensor<320xf16>) -> tensor<?x320x?x?xf16>
// CHECK-NEXT: %1 = graph.group_norm %y, %v, %v {num_groups = 3 : i64} : (tensor<1x?x8x8xf16>, tensor<?xf16>, tensor<?xf16>) -> tensor<1x?x8x8xf16>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "group_norm_f16_dynamic"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<?x320x?x?xf16>, %w: tensor<320xf16>, %b: tensor<320xf16>, %y: tensor<1x?x8x8xf16>, %v: tensor<?xf16>):
// CHECK-GENERIC-NEXT: %0 = "graph.group_norm"(%x, %w, %b) <{num_groups = 32 : i64, epsilon = 1.000000e-05 : f32}> : (tensor<?x320x?x?xf16>, tensor<320xf16>, tensor<320xf16>) -> tensor<?x320x?x?xf16>
// CHECK-GENERIC-NEXT: %1 = "graph.group_norm"(%y, %v, %v) <{num_groups = 3 : i64, epsilon = 1.000000e-05 : f32}> : (tensor<1x?x8x8xf16>, tensor<?xf16>, tensor<?xf16>) -> tensor<1x?x8x8xf16>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @group_norm_f16_dynamic(%x: tensor<?x320x?x?xf16>, %w: tensor<320xf16>, %b: tensor<320xf16>, %y: tensor<1x?x8x8xf16>, %v: tensor<?xf16>) {
  %0 = graph.group_norm %x, %w, %b {num_groups = 32 : i64} : (tensor<?x320x?x?xf16>, tensor<320xf16>, tensor<320xf16>) -> tensor<?x320x?x?xf16>
  %1 = graph.group_norm %y, %v, %v {num_groups = 3 : i64} : (tensor<1x?x8x8xf16>, tensor<?xf16>, tensor<?xf16>) -> tensor<1x?x8x8xf16>
  func.return
}

// -----

// CHECK-LABEL: func.func @rms_norm(%x: tensor<4x16xf32>, %w: tensor<16xf32>, %h: tensor<?x77x4096xbf16>, %hw: tensor<4096xbf16>) {
// CHECK-NEXT: %0 = graph.rms_norm %x, %w : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
// CHECK-NEXT: %1 = graph.rms_norm %x, %w {epsilon = 1.000000e-06 : f32} : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
// CHECK-NEXT: %2 = graph.rms_norm %h, %hw {epsilon = 1.000000e-06 : f32} : (tensor<?x77x4096xbf16>, tensor<4096xbf16>) -> tensor<?x77x4096xbf16>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "rms_norm"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<4x16xf32>, %w: tensor<16xf32>, %h: tensor<?x77x4096xbf16>, %hw: tensor<4096xbf16>):
// CHECK-GENERIC-NEXT: %0 = "graph.rms_norm"(%x, %w) <{epsilon = 1.000000e-05 : f32}> : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
// CHECK-GENERIC-NEXT: %1 = "graph.rms_norm"(%x, %w) <{epsilon = 1.000000e-06 : f32}> : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
// CHECK-GENERIC-NEXT: %2 = "graph.rms_norm"(%h, %hw) <{epsilon = 1.000000e-06 : f32}> : (tensor<?x77x4096xbf16>, tensor<4096xbf16>) -> tensor<?x77x4096xbf16>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @rms_norm(%x: tensor<4x16xf32>, %w: tensor<16xf32>, %h: tensor<?x77x4096xbf16>, %hw: tensor<4096xbf16>) {
  %0 = graph.rms_norm %x, %w : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  %1 = graph.rms_norm %x, %w {epsilon = 1.0e-06 : f32} : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  %2 = graph.rms_norm %h, %hw {epsilon = 1.0e-06 : f32} : (tensor<?x77x4096xbf16>, tensor<4096xbf16>) -> tensor<?x77x4096xbf16>
  func.return
}
