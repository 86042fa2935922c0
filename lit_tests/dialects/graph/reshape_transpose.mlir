// RUN: ge-opt %s --split-input-file | filecheck %s
// RUN: GE_ROUNDTRIP
// RUN: GE_GENERIC_ROUNDTRIP

// graph.reshape (same element count, any dynamic dim allowed) and graph.transpose (perm).

// CHECK-LABEL: func.func @reshape(%x: tensor<2x3x4xf32>, %s: tensor<f32>) {
// CHECK-NEXT: %0 = graph.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
// CHECK-NEXT: %1 = graph.reshape %x : tensor<2x3x4xf32> -> tensor<24xf32>
// CHECK-NEXT: %2 = graph.reshape %1 : tensor<24xf32> -> tensor<2x1x12xf32>
// CHECK-NEXT: %3 = graph.reshape %s : tensor<f32> -> tensor<1x1xf32>
// CHECK-NEXT: %4 = graph.reshape %3 : tensor<1x1xf32> -> tensor<f32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "reshape"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<2x3x4xf32>, %s: tensor<f32>):
// CHECK-GENERIC-NEXT: %0 = "graph.reshape"(%x) : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
// CHECK-GENERIC-NEXT: %1 = "graph.reshape"(%x) : (tensor<2x3x4xf32>) -> tensor<24xf32>
// CHECK-GENERIC-NEXT: %2 = "graph.reshape"(%1) : (tensor<24xf32>) -> tensor<2x1x12xf32>
// CHECK-GENERIC-NEXT: %3 = "graph.reshape"(%s) : (tensor<f32>) -> tensor<1x1xf32>
// CHECK-GENERIC-NEXT: %4 = "graph.reshape"(%3) : (tensor<1x1xf32>) -> tensor<f32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @reshape(%x: tensor<2x3x4xf32>, %s: tensor<f32>) {
  %0 = graph.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %1 = graph.reshape %x : tensor<2x3x4xf32> -> tensor<24xf32>
  %2 = graph.reshape %1 : tensor<24xf32> -> tensor<2x1x12xf32>
  %3 = graph.reshape %s : tensor<f32> -> tensor<1x1xf32>
  %4 = graph.reshape %3 : tensor<1x1xf32> -> tensor<f32>
  func.return
}

// -----

// CHECK-LABEL: func.func @reshape_dynamic(%x: tensor<?x77x768xf16>, %i: tensor<4x4xi64>, %b: tensor<?x4xi1>) {
// CHECK-NEXT: %0 = graph.reshape %x : tensor<?x77x768xf16> -> tensor<?x77x12x64xf16>
// CHECK-NEXT: %1 = graph.reshape %i : tensor<4x4xi64> -> tensor<?xi64>
// CHECK-NEXT: %2 = graph.reshape %b : tensor<?x4xi1> -> tensor<2x?xi1>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "reshape_dynamic"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<?x77x768xf16>, %i: tensor<4x4xi64>, %b: tensor<?x4xi1>):
// CHECK-GENERIC-NEXT: %0 = "graph.reshape"(%x) : (tensor<?x77x768xf16>) -> tensor<?x77x12x64xf16>
// CHECK-GENERIC-NEXT: %1 = "graph.reshape"(%i) : (tensor<4x4xi64>) -> tensor<?xi64>
// CHECK-GENERIC-NEXT: %2 = "graph.reshape"(%b) : (tensor<?x4xi1>) -> tensor<2x?xi1>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @reshape_dynamic(%x: tensor<?x77x768xf16>, %i: tensor<4x4xi64>, %b: tensor<?x4xi1>) {
  %0 = graph.reshape %x : tensor<?x77x768xf16> -> tensor<?x77x12x64xf16>
  %1 = graph.reshape %i : tensor<4x4xi64> -> tensor<?xi64>
  %2 = graph.reshape %b : tensor<?x4xi1> -> tensor<2x?xi1>
  func.return
}

// -----

// CHECK-LABEL: func.func @transpose(%x: tensor<2x3xf32>, %y: tensor<?x77x12x64xf16>, %m: tensor<1x2x3xi8>) {
// CHECK-NEXT: %0 = graph.transpose %x {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
// CHECK-NEXT: %1 = graph.transpose %x {perm = array<i64: 0, 1>} : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT: %2 = graph.transpose %y {perm = array<i64: 0, 2, 1, 3>} : tensor<?x77x12x64xf16> -> tensor<?x12x77x64xf16>
// CHECK-NEXT: %3 = graph.transpose %m {perm = array<i64: 2, 0, 1>} : tensor<1x2x3xi8> -> tensor<3x1x2xi8>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "transpose"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<2x3xf32>, %y: tensor<?x77x12x64xf16>, %m: tensor<1x2x3xi8>):
// CHECK-GENERIC-NEXT: %0 = "graph.transpose"(%x) <{perm = array<i64: 1, 0>}> : (tensor<2x3xf32>) -> tensor<3x2xf32>
// CHECK-GENERIC-NEXT: %1 = "graph.transpose"(%x) <{perm = array<i64: 0, 1>}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-GENERIC-NEXT: %2 = "graph.transpose"(%y) <{perm = array<i64: 0, 2, 1, 3>}> : (tensor<?x77x12x64xf16>) -> tensor<?x12x77x64xf16>
// CHECK-GENERIC-NEXT: %3 = "graph.transpose"(%m) <{perm = array<i64: 2, 0, 1>}> : (tensor<1x2x3xi8>) -> tensor<3x1x2xi8>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @transpose(%x: tensor<2x3xf32>, %y: tensor<?x77x12x64xf16>, %m: tensor<1x2x3xi8>) {
  %0 = graph.transpose %x {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  %1 = graph.transpose %x {perm = array<i64: 0, 1>} : tensor<2x3xf32> -> tensor<2x3xf32>
  %2 = graph.transpose %y {perm = array<i64: 0, 2, 1, 3>} : tensor<?x77x12x64xf16> -> tensor<?x12x77x64xf16>
  %3 = graph.transpose %m {perm = array<i64: 2, 0, 1>} : tensor<1x2x3xi8> -> tensor<3x1x2xi8>
  func.return
}

// -----

// CHECK-LABEL: func.func @transpose_bf16_scalar(%x: tensor<4x?xbf16>, %s: tensor<i32>) {
// CHECK-NEXT: %0 = graph.transpose %x {perm = array<i64: 1, 0>} : tensor<4x?xbf16> -> tensor<?x4xbf16>
// CHECK-NEXT: %1 = graph.transpose %s {perm = array<i64>} : tensor<i32> -> tensor<i32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "transpose_bf16_scalar"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<4x?xbf16>, %s: tensor<i32>):
// CHECK-GENERIC-NEXT: %0 = "graph.transpose"(%x) <{perm = array<i64: 1, 0>}> : (tensor<4x?xbf16>) -> tensor<?x4xbf16>
// CHECK-GENERIC-NEXT: %1 = "graph.transpose"(%s) <{perm = array<i64>}> : (tensor<i32>) -> tensor<i32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @transpose_bf16_scalar(%x: tensor<4x?xbf16>, %s: tensor<i32>) {
  %0 = graph.transpose %x {perm = array<i64: 1, 0>} : tensor<4x?xbf16> -> tensor<?x4xbf16>
  %1 = graph.transpose %s {perm = array<i64>} : tensor<i32> -> tensor<i32>
  func.return
}
