// RUN: ge-opt %s -p canonicalize | filecheck %s
// RUN: ge-opt %s -p canonicalize | ge-opt -p canonicalize | filecheck %s

// Layout no-ops and chains: reshape and transpose to the operand's own type vanish, chains of
// reshapes or of transposes become one op, a cast to the same type vanishes.

// CHECK-LABEL: func.func @reshape_identity
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT:    func.return %[[X]] : tensor<2x3xf32>
func.func @reshape_identity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %r = graph.reshape %x : tensor<2x3xf32> -> tensor<2x3xf32>
  func.return %r : tensor<2x3xf32>
}

// A real reshape stays.
// CHECK-LABEL: func.func @reshape_kept
// CHECK-NEXT:    %{{.*}} = graph.reshape %{{.*}} : tensor<2x3xf32> -> tensor<3x2xf32>
func.func @reshape_kept(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %r = graph.reshape %x : tensor<2x3xf32> -> tensor<3x2xf32>
  func.return %r : tensor<3x2xf32>
}

// One dynamic dim: the reshape infers it back, so it is the identity.
// CHECK-LABEL: func.func @reshape_identity_dynamic
// CHECK-SAME:    (%[[X:.*]]: tensor<?x3xf32>)
// CHECK-NEXT:    func.return %[[X]] : tensor<?x3xf32>
func.func @reshape_identity_dynamic(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %r = graph.reshape %x : tensor<?x3xf32> -> tensor<?x3xf32>
  func.return %r : tensor<?x3xf32>
}

// Two dynamic dims cannot be inferred: the op fails at run time, and keeps doing so.
// CHECK-LABEL: func.func @reshape_two_dynamic_kept
// CHECK-NEXT:    graph.reshape %{{.*}} : tensor<?x?xf32> -> tensor<?x?xf32>
func.func @reshape_two_dynamic_kept(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %r = graph.reshape %x : tensor<?x?xf32> -> tensor<?x?xf32>
  func.return %r : tensor<?x?xf32>
}

// CHECK-LABEL: func.func @reshape_reshape
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT:    %[[R:.*]] = graph.reshape %[[X]] : tensor<2x3x4xf32> -> tensor<24xf32>
// CHECK-NEXT:    func.return %[[R]] : tensor<24xf32>
func.func @reshape_reshape(%x: tensor<2x3x4xf32>) -> tensor<24xf32> {
  %a = graph.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %b = graph.reshape %a : tensor<6x4xf32> -> tensor<24xf32>
  func.return %b : tensor<24xf32>
}

// A chain back to the operand's type is the operand.
// CHECK-LABEL: func.func @reshape_roundtrip
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT:    func.return %[[X]] : tensor<2x3x4xf32>
func.func @reshape_roundtrip(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %a = graph.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %b = graph.reshape %a : tensor<6x4xf32> -> tensor<24xf32>
  %c = graph.reshape %b : tensor<24xf32> -> tensor<2x3x4xf32>
  func.return %c : tensor<2x3x4xf32>
}

// The inner reshape has another use: it stays for it, the outer one reads %x.
// CHECK-LABEL: func.func @reshape_reshape_shared
// CHECK-SAME:    (%[[X:.*]]: tensor<2x6xf32>)
// CHECK-NEXT:    %[[A:.*]] = graph.reshape %[[X]] : tensor<2x6xf32> -> tensor<3x4xf32>
// CHECK-NEXT:    %[[B:.*]] = graph.reshape %[[X]] : tensor<2x6xf32> -> tensor<12xf32>
// CHECK-NEXT:    func.return %[[A]], %[[B]]
func.func @reshape_reshape_shared(%x: tensor<2x6xf32>) -> (tensor<3x4xf32>, tensor<12xf32>) {
  %a = graph.reshape %x : tensor<2x6xf32> -> tensor<3x4xf32>
  %b = graph.reshape %a : tensor<3x4xf32> -> tensor<12xf32>
  func.return %a, %b : tensor<3x4xf32>, tensor<12xf32>
}

// %x has a dynamic dim: the static inner reshape fails unless %x has 8 elements, the
// composite reshape to ? would not. Both results static: composing keeps the 8-element check.
// CHECK-LABEL: func.func @reshape_reshape_dynamic
// CHECK-SAME:    (%[[X:.*]]: tensor<?x4xf32>)
// CHECK-NEXT:    %[[A:.*]] = graph.reshape %[[X]] : tensor<?x4xf32> -> tensor<2x4xf32>
// CHECK-NEXT:    %[[B:.*]] = graph.reshape %[[A]] : tensor<2x4xf32> -> tensor<?xf32>
// CHECK-NEXT:    %[[C:.*]] = graph.reshape %[[X]] : tensor<?x4xf32> -> tensor<8xf32>
// CHECK-NEXT:    func.return %[[B]], %[[C]]
func.func @reshape_reshape_dynamic(%x: tensor<?x4xf32>) -> (tensor<?xf32>, tensor<8xf32>) {
  %a = graph.reshape %x : tensor<?x4xf32> -> tensor<2x4xf32>
  %b = graph.reshape %a : tensor<2x4xf32> -> tensor<?xf32>
  %c = graph.reshape %a : tensor<2x4xf32> -> tensor<8xf32>
  func.return %b, %c : tensor<?xf32>, tensor<8xf32>
}

// CHECK-LABEL: func.func @transpose_identity
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT:    func.return %[[X]] : tensor<2x3x4xf32>
func.func @transpose_identity(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %t = graph.transpose %x {perm = array<i64: 0, 1, 2>} : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  func.return %t : tensor<2x3x4xf32>
}

// Same shape, but not the identity permutation: stays.
// CHECK-LABEL: func.func @transpose_square_kept
// CHECK-NEXT:    graph.transpose %{{.*}} {perm = array<i64: 1, 0>} : tensor<3x3xf32> -> tensor<3x3xf32>
func.func @transpose_square_kept(%x: tensor<3x3xf32>) -> tensor<3x3xf32> {
  %t = graph.transpose %x {perm = array<i64: 1, 0>} : tensor<3x3xf32> -> tensor<3x3xf32>
  func.return %t : tensor<3x3xf32>
}

// [0, 2, 1] then [1, 0, 2]: result dim i is dim p[q[i]] of %x, perm [2, 0, 1].
// CHECK-LABEL: func.func @transpose_transpose
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT:    %[[T:.*]] = graph.transpose %[[X]] {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
// CHECK-NEXT:    func.return %[[T]] : tensor<4x2x3xf32>
func.func @transpose_transpose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %a = graph.transpose %x {perm = array<i64: 0, 2, 1>} : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
  %b = graph.transpose %a {perm = array<i64: 1, 0, 2>} : tensor<2x4x3xf32> -> tensor<4x2x3xf32>
  func.return %b : tensor<4x2x3xf32>
}

// A permutation and its inverse cancel.
// CHECK-LABEL: func.func @transpose_inverse
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT:    func.return %[[X]] : tensor<2x3x4xf32>
func.func @transpose_inverse(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %a = graph.transpose %x {perm = array<i64: 1, 2, 0>} : tensor<2x3x4xf32> -> tensor<3x4x2xf32>
  %b = graph.transpose %a {perm = array<i64: 2, 0, 1>} : tensor<3x4x2xf32> -> tensor<2x3x4xf32>
  func.return %b : tensor<2x3x4xf32>
}

// Three transposes become one; the outer op's stream hint stays on it.
// CHECK-LABEL: func.func @transpose_chain
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT:    %[[T:.*]] = graph.transpose %[[X]] {stream_id = 1 : i64, perm = array<i64: 1, 0, 2>} : tensor<2x3x4xf32> -> tensor<3x2x4xf32>
// CHECK-NEXT:    func.return %[[T]]
func.func @transpose_chain(%x: tensor<2x3x4xf32>) -> tensor<3x2x4xf32> {
  %a = graph.transpose %x {perm = array<i64: 2, 1, 0>} : tensor<2x3x4xf32> -> tensor<4x3x2xf32>
  %b = graph.transpose %a {perm = array<i64: 0, 2, 1>} : tensor<4x3x2xf32> -> tensor<4x2x3xf32>
  %c = graph.transpose %b {perm = array<i64: 2, 1, 0>, stream_id = 1 : i64} : tensor<4x2x3xf32> -> tensor<3x2x4xf32>
  func.return %c : tensor<3x2x4xf32>
}

// CHECK-LABEL: func.func @cast_identity
// CHECK-SAME:    (%[[X:.*]]: tensor<4xf16>, %[[I:.*]]: tensor<4xi32>)
// CHECK-NEXT:    func.return %[[X]], %[[I]] : tensor<4xf16>, tensor<4xi32>
func.func @cast_identity(%x: tensor<4xf16>, %i: tensor<4xi32>) -> (tensor<4xf16>, tensor<4xi32>) {
  %a = graph.cast %x : tensor<4xf16> -> tensor<4xf16>
  %b = graph.cast %i : tensor<4xi32> -> tensor<4xi32>
  func.return %a, %b : tensor<4xf16>, tensor<4xi32>
}

// A cast that converts stays, and so does a round trip through another type (f32 -> f16
// rounds).
// CHECK-LABEL: func.func @cast_kept
// CHECK-NEXT:    %[[A:.*]] = graph.cast %{{.*}} : tensor<4xf32> -> tensor<4xf16>
// CHECK-NEXT:    %[[B:.*]] = graph.cast %[[A]] : tensor<4xf16> -> tensor<4xf32>
// CHECK-NEXT:    func.return %[[B]]
func.func @cast_kept(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = graph.cast %x : tensor<4xf32> -> tensor<4xf16>
  %b = graph.cast %a : tensor<4xf16> -> tensor<4xf32>
  func.return %b : tensor<4xf32>
}

// Patterns apply inside fused groups as well; the chain reshape -> transpose -> identity
// transpose -> reshape back collapses to the transpose alone.
// CHECK-LABEL: func.func @in_fused
// CHECK:         graph.fused
// CHECK-NEXT:    ^{{.*}}(%[[A:.*]]: tensor<2x3xf32>):
// CHECK-NEXT:      %[[T:.*]] = graph.transpose %[[A]] {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
// CHECK-NEXT:      %[[E:.*]] = graph.exp %[[T]] : tensor<3x2xf32>
// CHECK-NEXT:      graph.yield %[[E]] : tensor<3x2xf32>
func.func @in_fused(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %r = graph.fused (%x) {kind = "elementwise"} : (tensor<2x3xf32>) -> tensor<3x2xf32> {
  ^bb0(%a: tensor<2x3xf32>):
    %s = graph.reshape %a : tensor<2x3xf32> -> tensor<2x3xf32>
    %t = graph.transpose %s {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
    %u = graph.transpose %t {perm = array<i64: 0, 1>} : tensor<3x2xf32> -> tensor<3x2xf32>
    %e = graph.exp %u : tensor<3x2xf32>
    graph.yield %e : tensor<3x2xf32>
  }
  func.return %r : tensor<3x2xf32>
}
