// RUN: ge-opt %s --split-input-file --verify-diagnostics | filecheck %s

// Verifier errors of graph.batch_matmul: same rank >= 3, equal batch dims, contraction, result.

func.func @rank_two(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) {
// CHECK: {{.*}}batch_matmul.mlir:[[# @LINE + 2]]:3: error: graph.batch_matmul: operands must have the same rank >= 3, got 4x8 and 8x16
// CHECK-NEXT: %0 = graph.batch_matmul %a, %b : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  %0 = graph.batch_matmul %a, %b : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  func.return
}

// -----

func.func @ranks_differ(%a: tensor<2x4x8xf32>, %b: tensor<1x2x8x16xf32>) {
// CHECK: error: graph.batch_matmul: operands must have the same rank >= 3, got 2x4x8 and 1x2x8x16
  %0 = graph.batch_matmul %a, %b : tensor<2x4x8xf32>, tensor<1x2x8x16xf32> -> tensor<1x2x4x16xf32>
  func.return
}

// -----

func.func @batch_dims_differ(%a: tensor<2x4x8xf32>, %b: tensor<3x8x16xf32>) {
// CHECK: error: graph.batch_matmul: batch dims differ: 2x4x8 and 3x8x16
  %0 = graph.batch_matmul %a, %b : tensor<2x4x8xf32>, tensor<3x8x16xf32> -> tensor<2x4x16xf32>
  func.return
}

// -----

func.func @batch_dims_do_not_broadcast(%a: tensor<1x4x8xf32>, %b: tensor<3x8x16xf32>) {
// CHECK: error: graph.batch_matmul: batch dims differ: 1x4x8 and 3x8x16
  %0 = graph.batch_matmul %a, %b : tensor<1x4x8xf32>, tensor<3x8x16xf32> -> tensor<3x4x16xf32>
  func.return
}

// -----

func.func @contraction_mismatch(%a: tensor<2x4x8xf16>, %b: tensor<2x16x8xf16>) {
// CHECK: error: graph.batch_matmul: contraction dims differ: 2x4x8 and 2x16x8 (8 vs 16)
  %0 = graph.batch_matmul %a, %b : tensor<2x4x8xf16>, tensor<2x16x8xf16> -> tensor<2x4x8xf16>
  func.return
}

// -----

func.func @result_shape_wrong(%a: tensor<?x4x8xf32>, %b: tensor<?x8x16xf32>) {
// CHECK: error: graph.batch_matmul: result shape ?x4x8 does not match expected ?x4x16
  %0 = graph.batch_matmul %a, %b : tensor<?x4x8xf32>, tensor<?x8x16xf32> -> tensor<?x4x8xf32>
  func.return
}
