// RUN: ge-opt %s -p canonicalize | filecheck %s

// A transpose that swaps only the last two dims of a matmul operand folds into the matmul's
// transpose_a / transpose_b flag (toggling it).

// CHECK-LABEL: func.func @rhs
// CHECK-SAME:    (%[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<16x8xf32>)
// CHECK-NEXT:    %[[M:.*]] = graph.matmul %[[A]], %[[B]] {transpose_b} : tensor<4x8xf32>, tensor<16x8xf32> -> tensor<4x16xf32>
// CHECK-NEXT:    func.return %[[M]]
func.func @rhs(%a: tensor<4x8xf32>, %b: tensor<16x8xf32>) -> tensor<4x16xf32> {
  %bt = graph.transpose %b {perm = array<i64: 1, 0>} : tensor<16x8xf32> -> tensor<8x16xf32>
  %m = graph.matmul %a, %bt : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  func.return %m : tensor<4x16xf32>
}

// transpose_b already set: the two swaps cancel.
// CHECK-LABEL: func.func @rhs_toggle_off
// CHECK-SAME:    (%[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<8x16xf32>)
// CHECK-NEXT:    %[[M:.*]] = graph.matmul %[[A]], %[[B]] : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
// CHECK-NEXT:    func.return %[[M]]
func.func @rhs_toggle_off(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %bt = graph.transpose %b {perm = array<i64: 1, 0>} : tensor<8x16xf32> -> tensor<16x8xf32>
  %m = graph.matmul %a, %bt {transpose_b} : tensor<4x8xf32>, tensor<16x8xf32> -> tensor<4x16xf32>
  func.return %m : tensor<4x16xf32>
}

// Both operands; the other flag and discardable attributes stay.
// CHECK-LABEL: func.func @both
// CHECK-SAME:    (%[[A:.*]]: tensor<8x4xf32>, %[[B:.*]]: tensor<16x8xf32>)
// CHECK-NEXT:    %[[M:.*]] = graph.matmul %[[A]], %[[B]] {stream_id = 2 : i64, transpose_a, transpose_b} : tensor<8x4xf32>, tensor<16x8xf32> -> tensor<4x16xf32>
// CHECK-NEXT:    func.return %[[M]]
func.func @both(%a: tensor<8x4xf32>, %b: tensor<16x8xf32>) -> tensor<4x16xf32> {
  %at = graph.transpose %a {perm = array<i64: 1, 0>} : tensor<8x4xf32> -> tensor<4x8xf32>
  %bt = graph.transpose %b {perm = array<i64: 1, 0>} : tensor<16x8xf32> -> tensor<8x16xf32>
  %m = graph.matmul %at, %bt {stream_id = 2 : i64} : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  func.return %m : tensor<4x16xf32>
}

// Rank 3 with a broadcast rank-2 rhs: [0, 2, 1] swaps the last two dims of the lhs.
// CHECK-LABEL: func.func @batched_lhs
// CHECK-SAME:    (%[[A:.*]]: tensor<2x8x4xf32>, %[[B:.*]]: tensor<8x16xf32>)
// CHECK-NEXT:    %[[M:.*]] = graph.matmul %[[A]], %[[B]] {transpose_a} : tensor<2x8x4xf32>, tensor<8x16xf32> -> tensor<2x4x16xf32>
func.func @batched_lhs(%a: tensor<2x8x4xf32>, %b: tensor<8x16xf32>) -> tensor<2x4x16xf32> {
  %at = graph.transpose %a {perm = array<i64: 0, 2, 1>} : tensor<2x8x4xf32> -> tensor<2x4x8xf32>
  %m = graph.matmul %at, %b : tensor<2x4x8xf32>, tensor<8x16xf32> -> tensor<2x4x16xf32>
  func.return %m : tensor<2x4x16xf32>
}

// graph.batch_matmul, rank 4 (attention's K^T).
// CHECK-LABEL: func.func @batch_matmul
// CHECK-SAME:    (%[[Q:.*]]: tensor<1x4x8x16xf32>, %[[K:.*]]: tensor<1x4x8x16xf32>)
// CHECK-NEXT:    %[[M:.*]] = graph.batch_matmul %[[Q]], %[[K]] {transpose_b} : tensor<1x4x8x16xf32>, tensor<1x4x8x16xf32> -> tensor<1x4x8x8xf32>
func.func @batch_matmul(%q: tensor<1x4x8x16xf32>, %k: tensor<1x4x8x16xf32>) -> tensor<1x4x8x8xf32> {
  %kt = graph.transpose %k {perm = array<i64: 0, 1, 3, 2>} : tensor<1x4x8x16xf32> -> tensor<1x4x16x8xf32>
  %m = graph.batch_matmul %q, %kt : tensor<1x4x8x16xf32>, tensor<1x4x16x8xf32> -> tensor<1x4x8x8xf32>
  func.return %m : tensor<1x4x8x8xf32>
}

// A permutation that moves a batch dim does not fold.
// CHECK-LABEL: func.func @batch_perm_kept
// CHECK-NEXT:    %[[T:.*]] = graph.transpose
// CHECK-NEXT:    graph.batch_matmul %{{.*}}, %[[T]] :
func.func @batch_perm_kept(%q: tensor<2x8x8xf32>, %k: tensor<8x2x8xf32>) -> tensor<2x8x8xf32> {
  %kt = graph.transpose %k {perm = array<i64: 1, 0, 2>} : tensor<8x2x8xf32> -> tensor<2x8x8xf32>
  %m = graph.batch_matmul %q, %kt : tensor<2x8x8xf32>, tensor<2x8x8xf32> -> tensor<2x8x8xf32>
  func.return %m : tensor<2x8x8xf32>
}

// The transpose has another use: it stays for it, the matmul reads %b directly.
// CHECK-LABEL: func.func @shared_transpose
// CHECK-SAME:    (%[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<16x8xf32>)
// CHECK-NEXT:    %[[T:.*]] = graph.transpose %[[B]]
// CHECK-NEXT:    %[[M:.*]] = graph.matmul %[[A]], %[[B]] {transpose_b}
// CHECK-NEXT:    func.return %[[M]], %[[T]]
func.func @shared_transpose(%a: tensor<4x8xf32>, %b: tensor<16x8xf32>) -> (tensor<4x16xf32>, tensor<8x16xf32>) {
  %bt = graph.transpose %b {perm = array<i64: 1, 0>} : tensor<16x8xf32> -> tensor<8x16xf32>
  %m = graph.matmul %a, %bt : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  func.return %m, %bt : tensor<4x16xf32>, tensor<8x16xf32>
}
