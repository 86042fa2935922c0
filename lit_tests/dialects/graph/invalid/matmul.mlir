// RUN: ge-opt %s --split-input-file --verify-diagnostics | filecheck %s

// Verifier errors of graph.matmul: contraction dims (with transposes), ranks, batch broadcasting,
// element types and the result shape.

func.func @contraction_mismatch(%a: tensor<4x8xf32>, %b: tensor<7x16xf32>) {
// CHECK: {{.*}}matmul.mlir:[[# @LINE + 2]]:3: error: graph.matmul: contraction dims differ: 4x8 and 7x16 (8 vs 7)
// CHECK-NEXT: %0 = graph.matmul %a, %b : tensor<4x8xf32>, tensor<7x16xf32> -> tensor<4x16xf32>
  %0 = graph.matmul %a, %b : tensor<4x8xf32>, tensor<7x16xf32> -> tensor<4x16xf32>
  func.return
}

// -----

func.func @contraction_mismatch_transpose_a(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) {
// CHECK: error: graph.matmul: contraction dims differ: 4x8 and 8x16 (4 vs 8)
  %0 = graph.matmul %a, %b {transpose_a} : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<8x16xf32>
  func.return
}

// -----

func.func @contraction_mismatch_transpose_b(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) {
// CHECK: error: graph.matmul: contraction dims differ: 4x8 and 8x16 (8 vs 16)
  %0 = graph.matmul %a, %b {transpose_b} : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x8xf32>
  func.return
}

// -----

func.func @rank_one_operand(%a: tensor<8xf32>, %b: tensor<8x16xf32>) {
// CHECK: error: graph.matmul: operands must have rank >= 2, got 8 and 8x16
  %0 = graph.matmul %a, %b : tensor<8xf32>, tensor<8x16xf32> -> tensor<16xf32>
  func.return
}

// -----

func.func @batch_not_broadcastable(%a: tensor<2x4x8xf32>, %b: tensor<3x8x16xf32>) {
// CHECK: error: graph.matmul: shapes 2 and 3 do not broadcast
  %0 = graph.matmul %a, %b : tensor<2x4x8xf32>, tensor<3x8x16xf32> -> tensor<2x4x16xf32>
  func.return
}

// -----

func.func @element_types_differ(%a: tensor<4x8xf32>, %b: tensor<8x16xf16>) {
// CHECK: error: graph.matmul: element types differ: f16, f32
  %0 = graph.matmul %a, %b : tensor<4x8xf32>, tensor<8x16xf16> -> tensor<4x16xf32>
  func.return
}

// -----

func.func @result_element_type_differs(%a: tensor<4x8xbf16>, %b: tensor<8x16xbf16>) {
// CHECK: error: graph.matmul: element types differ: bf16, f32
  %0 = graph.matmul %a, %b : tensor<4x8xbf16>, tensor<8x16xbf16> -> tensor<4x16xf32>
  func.return
}

// -----

func.func @result_shape_wrong(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) {
// CHECK: error: graph.matmul: result shape 16x4 does not match expected 4x16
  %0 = graph.matmul %a, %b : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<16x4xf32>
  func.return
}

// -----

func.func @result_missing_batch(%a: tensor<2x1x4x8xf32>, %b: tensor<3x8x16xf32>) {
// CHECK: error: graph.matmul: result shape 2x4x16 does not match expected 2x3x4x16
  %0 = graph.matmul %a, %b : tensor<2x1x4x8xf32>, tensor<3x8x16xf32> -> tensor<2x4x16xf32>
  func.return
}
