// RUN: ge-opt %s --split-input-file | filecheck %s
// RUN: GE_ROUNDTRIP
// RUN: GE_GENERIC_ROUNDTRIP

// graph.matmul: transpose_a / transpose_b unit properties, broadcast batch dims, dynamic dims.

// CHECK-LABEL: func.func @matmul_2d(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %at: tensor<8x4xf32>, %bt: tensor<16x8xf32>) {
// CHECK-NEXT: %0 = graph.matmul %a, %b : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
// CHECK-NEXT: %1 = graph.matmul %at, %b {transpose_a} : tensor<8x4xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
// CHECK-NEXT: %2 = graph.matmul %a, %bt {transpose_b} : tensor<4x8xf32>, tensor<16x8xf32> -> tensor<4x16xf32>
// CHECK-NEXT: %3 = graph.matmul %at, %bt {transpose_a, transpose_b} : tensor<8x4xf32>, tensor<16x8xf32> -> tensor<4x16xf32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "matmul_2d"
// CHECK-GENERIC-NEXT: ^bb0(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %at: tensor<8x4xf32>, %bt: tensor<16x8xf32>):
// CHECK-GENERIC-NEXT: %0 = "graph.matmul"(%a, %b) : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
// CHECK-GENERIC-NEXT: %1 = "graph.matmul"(%at, %b) <{transpose_a}> : (tensor<8x4xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
// CHECK-GENERIC-NEXT: %2 = "graph.matmul"(%a, %bt) <{transpose_b}> : (tensor<4x8xf32>, tensor<16x8xf32>) -> tensor<4x16xf32>
// CHECK-GENERIC-NEXT: %3 = "graph.matmul"(%at, %bt) <{transpose_a, transpose_b}> : (tensor<8x4xf32>, tensor<16x8xf32>) -> tensor<4x16xf32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @matmul_2d(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %at: tensor<8x4xf32>, %bt: tensor<16x8xf32>) {
  %0 = graph.matmul %a, %b : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  %1 = graph.matmul %at, %b {transpose_a} : tensor<8x4xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  %2 = graph.matmul %a, %bt {transpose_b} : tensor<4x8xf32>, tensor<16x8xf32> -> tensor<4x16xf32>
  %3 = graph.matmul %at, %bt {transpose_a, transpose_b} : tensor<8x4xf32>, tensor<16x8xf32> -> tensor<4x16xf32>
  func.return
}

// -----

// CHECK-LABEL: func.func @matmul_broadcast_batch(%a: tensor<2x1x4x8xf32>, %b: tensor<3x8x16xf32>, %w: tensor<8x16xf32>) {
// CHECK-NEXT: %0 = graph.matmul %a, %b : tensor<2x1x4x8xf32>, tensor<3x8x16xf32> -> tensor<2x3x4x16xf32>
// CHECK-NEXT: %1 = graph.matmul %a, %w : tensor<2x1x4x8xf32>, tensor<8x16xf32> -> tensor<2x1x4x16xf32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "matmul_broadcast_batch"
// CHECK-GENERIC-NEXT: ^bb0(%a: tensor<2x1x4x8xf32>, %b: tensor<3x8x16xf32>, %w: tensor<8x16xf32>):
// CHECK-GENERIC-NEXT: %0 = "graph.matmul"(%a, %b) : (tensor<2x1x4x8xf32>, tensor<3x8x16xf32>) -> tensor<2x3x4x16xf32>
// CHECK-GENERIC-NEXT: %1 = "graph.matmul"(%a, %w) : (tensor<2x1x4x8xf32>, tensor<8x16xf32>) -> tensor<2x1x4x16xf32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @matmul_broadcast_batch(%a: tensor<2x1x4x8xf32>, %b: tensor<3x8x16xf32>, %w: tensor<8x16xf32>) {
  %0 = graph.matmul %a, %b : tensor<2x1x4x8xf32>, tensor<3x8x16xf32> -> tensor<2x3x4x16xf32>
  %1 = graph.matmul %a, %w : tensor<2x1x4x8xf32>, tensor<8x16xf32> -> tensor<2x1x4x16xf32>
  func.return
}

// -----

// CHECK-LABEL: func.func @matmul_f16_dynamic(%x: tensor<?x77x768xf16>, %w: tensor<768x3072xf16>, %wt: tensor<3072x768xf16>) -> tensor<?x77x3072xf16> {
// CHECK-NEXT: %0 = graph.matmul %x, %w : tensor<?x77x768xf16>, tensor<768x3072xf16> -> tensor<?x77x3072xf16>
// CHECK-NEXT: %1 = graph.matmul %x, %wt {transpose_b} : tensor<?x77x768xf16>, tensor<3072x768xf16> -> tensor<?x77x3072xf16>
// CHECK-NEXT: func.return %1 : tensor<?x77x3072xf16>
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "matmul_f16_dynamic"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<?x77x768xf16>, %w: tensor<768x3072xf16>, %wt: tensor<3072x768xf16>):
// CHECK-GENERIC-NEXT: %0 = "graph.matmul"(%x, %w) : (tensor<?x77x768xf16>, tensor<768x3072xf16>) -> tensor<?x77x3072xf16>
// CHECK-GENERIC-NEXT: %1 = "graph.matmul"(%x, %wt) <{transpose_b}> : (tensor<?x77x768xf16>, tensor<3072x768xf16>) -> tensor<?x77x3072xf16>
// CHECK-GENERIC-NEXT: "func.return"(%1) : (tensor<?x77x3072xf16>) -> ()
func.func @matmul_f16_dynamic(%x: tensor<?x77x768xf16>, %w: tensor<768x3072xf16>, %wt: tensor<3072x768xf16>) -> tensor<?x77x3072xf16> {
  %0 = graph.matmul %x, %w : tensor<?x77x768xf16>, tensor<768x3072xf16> -> tensor<?x77x3072xf16>
  %1 = graph.matmul %x, %wt {transpose_b} : tensor<?x77x768xf16>, tensor<3072x768xf16> -> tensor<?x77x3072xf16>
  func.return %1 : tensor<?x77x3072xf16>
}

// -----

// CHECK-LABEL: func.func @matmul_bf16_dynamic_k(%a: tensor<4x?xbf16>, %b: tensor<?x2xbf16>) {
// CHECK-NEXT: %0 = graph.matmul %a, %b : tensor<4x?xbf16>, tensor<?x2xbf16> -> tensor<4x2xbf16>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "matmul_bf16_dynamic_k"
// CHECK-GENERIC-NEXT: ^bb0(%a: tensor<4x?xbf16>, %b: tensor<?x2xbf16>):
// CHECK-GENERIC-NEXT: %0 = "graph.matmul"(%a, %b) : (tensor<4x?xbf16>, tensor<?x2xbf16>) -> tensor<4x2xbf16>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @matmul_bf16_dynamic_k(%a: tensor<4x?xbf16>, %b: tensor<?x2xbf16>) {
  %0 = graph.matmul %a, %b : tensor<4x?xbf16>, tensor<?x2xbf16> -> tensor<4x2xbf16>
  func.return
}
