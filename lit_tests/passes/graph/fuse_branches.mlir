// RUN: ge-opt %s --split-input-file -p fuse | filecheck %s
// The fused IR is valid: it re-parses and prints the same.
// RUN: ge-opt %s --split-input-file -p fuse | ge-opt --split-input-file | filecheck %s

// fuse and graph.if: kernels form inside each branch (and after the graph.if), never across
// the branch boundary: no graph.fused holds a graph.if or an op of another block, an op outside
// whose only user is in a branch stays a kernel of its own, and a value used in a branch keeps
// its producer out of a group with outer consumers. Every case checks the whole body.

// gelu+exp fuse in the then branch, matmul+relu in the else branch, tanh+neg after the
// graph.if; the outer matmul (read by the else branch) and sigmoid (read by the then branch)
// stay plain ops.

// CHECK-LABEL: func.func @boundary(%c: tensor<i1>, %x: tensor<8x16xf32>) -> tensor<8x32xf32> {
// CHECK-NEXT: %w = graph.weight "w" : tensor<16x32xf32>
// CHECK-NEXT: %y = graph.matmul %x, %w : tensor<8x16xf32>, tensor<16x32xf32> -> tensor<8x32xf32>
// CHECK-NEXT: %e = graph.sigmoid %y : tensor<8x32xf32>
// CHECK-NEXT: %r = graph.if %c : tensor<i1> -> (tensor<8x32xf32>) {
// CHECK-NEXT: %b = graph.fused(%e) {kind = "elementwise"} : (tensor<8x32xf32>) -> tensor<8x32xf32> {
// CHECK-NEXT: ^bb0(%0: tensor<8x32xf32>):
// CHECK-NEXT: %a = graph.gelu %0 : tensor<8x32xf32>
// CHECK-NEXT: %b_1 = graph.exp %a : tensor<8x32xf32>
// CHECK-NEXT: graph.yield %b_1 : tensor<8x32xf32>
// CHECK-NEXT: }
// CHECK-NEXT: graph.yield %b : tensor<8x32xf32>
// CHECK-NEXT: } else {
// CHECK-NEXT: %w2 = graph.weight "w2" : tensor<32x32xf32>
// CHECK-NEXT: %n = graph.fused(%y, %w2) {kind = "contraction"} : (tensor<8x32xf32>, tensor<32x32xf32>) -> tensor<8x32xf32> {
// CHECK-NEXT: ^bb0(%0: tensor<8x32xf32>, %1: tensor<32x32xf32>):
// CHECK-NEXT: %m = graph.matmul %0, %1 : tensor<8x32xf32>, tensor<32x32xf32> -> tensor<8x32xf32>
// CHECK-NEXT: %n_1 = graph.relu %m : tensor<8x32xf32>
// CHECK-NEXT: graph.yield %n_1 : tensor<8x32xf32>
// CHECK-NEXT: }
// CHECK-NEXT: graph.yield %n : tensor<8x32xf32>
// CHECK-NEXT: }
// CHECK-NEXT: %p = graph.fused(%r) {kind = "elementwise"} : (tensor<8x32xf32>) -> tensor<8x32xf32> {
// CHECK-NEXT: ^bb0(%0: tensor<8x32xf32>):
// CHECK-NEXT: %o = graph.tanh %0 : tensor<8x32xf32>
// CHECK-NEXT: %p_1 = graph.neg %o : tensor<8x32xf32>
// CHECK-NEXT: graph.yield %p_1 : tensor<8x32xf32>
// CHECK-NEXT: }
// CHECK-NEXT: func.return %p : tensor<8x32xf32>
// CHECK-NEXT: }
func.func @boundary(%c: tensor<i1>, %x: tensor<8x16xf32>) -> tensor<8x32xf32> {
  %w = graph.weight "w" : tensor<16x32xf32>
  %y = graph.matmul %x, %w : tensor<8x16xf32>, tensor<16x32xf32> -> tensor<8x32xf32>
  %e = graph.sigmoid %y : tensor<8x32xf32>
  %r = graph.if %c : tensor<i1> -> (tensor<8x32xf32>) {
    %a = graph.gelu %e : tensor<8x32xf32>
    %b = graph.exp %a : tensor<8x32xf32>
    graph.yield %b : tensor<8x32xf32>
  } else {
    %w2 = graph.weight "w2" : tensor<32x32xf32>
    %m = graph.matmul %y, %w2 : tensor<8x32xf32>, tensor<32x32xf32> -> tensor<8x32xf32>
    %n = graph.relu %m : tensor<8x32xf32>
    graph.yield %n : tensor<8x32xf32>
  }
  %o = graph.tanh %r : tensor<8x32xf32>
  %p = graph.neg %o : tensor<8x32xf32>
  func.return %p : tensor<8x32xf32>
}

// -----

// exp's only user is in the then branch: it is not pulled in; neg+abs fuse in the else branch.

// CHECK-LABEL: func.func @only_in_branch(%c: tensor<i1>, %x: tensor<4x8xf32>) -> tensor<4x8xf32> {
// CHECK-NEXT: %e = graph.exp %x : tensor<4x8xf32>
// CHECK-NEXT: %r = graph.if %c : tensor<i1> -> (tensor<4x8xf32>) {
// CHECK-NEXT: %a = graph.relu %e : tensor<4x8xf32>
// CHECK-NEXT: graph.yield %a : tensor<4x8xf32>
// CHECK-NEXT: } else {
// CHECK-NEXT: %m = graph.fused(%x) {kind = "elementwise"} : (tensor<4x8xf32>) -> tensor<4x8xf32> {
// CHECK-NEXT: ^bb0(%0: tensor<4x8xf32>):
// CHECK-NEXT: %n = graph.neg %0 : tensor<4x8xf32>
// CHECK-NEXT: %m_1 = graph.abs %n : tensor<4x8xf32>
// CHECK-NEXT: graph.yield %m_1 : tensor<4x8xf32>
// CHECK-NEXT: }
// CHECK-NEXT: graph.yield %m : tensor<4x8xf32>
// CHECK-NEXT: }
// CHECK-NEXT: func.return %r : tensor<4x8xf32>
// CHECK-NEXT: }
func.func @only_in_branch(%c: tensor<i1>, %x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %e = graph.exp %x : tensor<4x8xf32>
  %r = graph.if %c : tensor<i1> -> (tensor<4x8xf32>) {
    %a = graph.relu %e : tensor<4x8xf32>
    graph.yield %a : tensor<4x8xf32>
  } else {
    %n = graph.neg %x : tensor<4x8xf32>
    %m = graph.abs %n : tensor<4x8xf32>
    graph.yield %m : tensor<4x8xf32>
  }
  func.return %r : tensor<4x8xf32>
}

// -----

// Nested graph.if: the inner branches fuse on their own, and so does the outer then branch.

// CHECK-LABEL: func.func @nested(%c: tensor<i1>, %k: tensor<i1>, %x: tensor<4x8xf32>) -> tensor<4x8xf32> {
// CHECK-NEXT: %r = graph.if %c : tensor<i1> -> (tensor<4x8xf32>) {
// CHECK-NEXT: %i = graph.if %k : tensor<i1> -> (tensor<4x8xf32>) {
// CHECK-NEXT: %b = graph.fused(%x) {kind = "elementwise"} : (tensor<4x8xf32>) -> tensor<4x8xf32> {
// CHECK-NEXT: ^bb0(%0: tensor<4x8xf32>):
// CHECK-NEXT: %a = graph.relu %0 : tensor<4x8xf32>
// CHECK-NEXT: %b_1 = graph.exp %a : tensor<4x8xf32>
// CHECK-NEXT: graph.yield %b_1 : tensor<4x8xf32>
// CHECK-NEXT: }
// CHECK-NEXT: graph.yield %b : tensor<4x8xf32>
// CHECK-NEXT: } else {
// CHECK-NEXT: graph.yield %x : tensor<4x8xf32>
// CHECK-NEXT: }
// CHECK-NEXT: %t = graph.fused(%i) {kind = "elementwise"} : (tensor<4x8xf32>) -> tensor<4x8xf32> {
// CHECK-NEXT: ^bb0(%0: tensor<4x8xf32>):
// CHECK-NEXT: %s = graph.sigmoid %0 : tensor<4x8xf32>
// CHECK-NEXT: %t_1 = graph.tanh %s : tensor<4x8xf32>
// CHECK-NEXT: graph.yield %t_1 : tensor<4x8xf32>
// CHECK-NEXT: }
// CHECK-NEXT: graph.yield %t : tensor<4x8xf32>
// CHECK-NEXT: } else {
// CHECK-NEXT: graph.yield %x : tensor<4x8xf32>
// CHECK-NEXT: }
// CHECK-NEXT: func.return %r : tensor<4x8xf32>
// CHECK-NEXT: }
func.func @nested(%c: tensor<i1>, %k: tensor<i1>, %x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %r = graph.if %c : tensor<i1> -> (tensor<4x8xf32>) {
    %i = graph.if %k : tensor<i1> -> (tensor<4x8xf32>) {
      %a = graph.relu %x : tensor<4x8xf32>
      %b = graph.exp %a : tensor<4x8xf32>
      graph.yield %b : tensor<4x8xf32>
    } else {
      graph.yield %x : tensor<4x8xf32>
    }
    %s = graph.sigmoid %i : tensor<4x8xf32>
    %t = graph.tanh %s : tensor<4x8xf32>
    graph.yield %t : tensor<4x8xf32>
  } else {
    graph.yield %x : tensor<4x8xf32>
  }
  func.return %r : tensor<4x8xf32>
}
