// RUN: ge-opt %s --split-input-file -p infer-shapes | filecheck %s
// The result re-parses and prints the same, and inferring again changes nothing.
// RUN: ge-opt %s --split-input-file -p infer-shapes | ge-opt --split-input-file -p infer-shapes | filecheck %s

// Static: result types are recomputed from operand types with the verifiers' shape rules and
// `?` dims the operands determine become static; the function's result types follow.

// CHECK-LABEL: func.func @static(%x: tensor<2x4xf32>, %w: tensor<4x3xf32>) -> (tensor<2x3xf32>, tensor<3x2xf32>) {
// CHECK-NEXT:    %0 = graph.relu %x : tensor<2x4xf32>
// CHECK-NEXT:    %1 = graph.reshape %0 : tensor<2x4xf32> -> tensor<2x4xf32>
// CHECK-NEXT:    %2 = graph.exp %1 : tensor<2x4xf32>
// CHECK-NEXT:    %3 = graph.matmul %2, %w : tensor<2x4xf32>, tensor<4x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT:    %4 = graph.transpose %3 {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
// CHECK-NEXT:    func.return %3, %4 : tensor<2x3xf32>, tensor<3x2xf32>
// CHECK-NEXT:  }
// CHECK-NOT:   graph.dim_bounds
func.func @static(%x: tensor<2x4xf32>, %w: tensor<4x3xf32>) -> (tensor<?x?xf32>, tensor<?x2xf32>) {
  %0 = graph.relu %x : tensor<2x4xf32>
  %1 = graph.reshape %0 : tensor<2x4xf32> -> tensor<?x4xf32>
  %2 = graph.exp %1 : tensor<?x4xf32>
  %3 = graph.matmul %2, %w : tensor<?x4xf32>, tensor<4x3xf32> -> tensor<?x?xf32>
  %4 = graph.transpose %3 {perm = array<i64: 1, 0>} : tensor<?x?xf32> -> tensor<?x2xf32>
  func.return %3, %4 : tensor<?x?xf32>, tensor<?x2xf32>
}

// -----

// What the shape rules leave open is filled in from the op's meaning: the one dynamic dim of a
// reshape target, the one dynamic piece of a split, the non-axis dims of a concat; broadcast
// against a static dim, conv windows, reductions, gather and slices follow the rules.

// CHECK-LABEL: func.func @rules(
// CHECK:         graph.reshape {{.*}} : tensor<24xf32> -> tensor<2x3x4xf32>
// CHECK:         graph.split {{.*}} : tensor<2x3x4xf32> -> tensor<2x1x4xf32>, tensor<2x2x4xf32>
// CHECK:         graph.concat {{.*}} : (tensor<2x2x4xf32>, tensor<?x?x4xf32>) -> tensor<2x?x4xf32>
// CHECK:         graph.add {{.*}} : tensor<2x?x4xf32>, tensor<2x5x4xf32> -> tensor<2x5x4xf32>
// CHECK:         graph.conv2d {{.*}} : (tensor<1x2x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x6x6xf32>
// CHECK:         graph.reduce_mean {{.*}} : tensor<1x4x6x6xf32> -> tensor<1x4xf32>
// CHECK:         graph.gather {{.*}} : (tensor<10x4xf32>, tensor<3xi64>) -> tensor<3x4xf32>
// CHECK:         graph.slice {{.*}} : tensor<3x4xf32> -> tensor<2x2xf32>
// CHECK:         func.return {{.*}} : tensor<2x5x4xf32>, tensor<1x4xf32>, tensor<2x2xf32>
func.func @rules(%flat: tensor<24xf32>, %o: tensor<?x?x4xf32>, %p: tensor<2x5x4xf32>, %img: tensor<1x2x8x8xf32>, %k: tensor<4x2x3x3xf32>, %table: tensor<10x4xf32>, %ids: tensor<3xi64>) -> (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) {
  %0 = graph.reshape %flat : tensor<24xf32> -> tensor<2x3x?xf32>
  %1:2 = graph.split %0 {axis = 1 : i64} : tensor<2x3x?xf32> -> tensor<?x1x?xf32>, tensor<?x?x?xf32>
  %2 = graph.concat %1#1, %o {axis = 1 : i64} : (tensor<?x?x?xf32>, tensor<?x?x4xf32>) -> tensor<?x?x?xf32>
  %3 = graph.add %2, %p : tensor<?x?x?xf32>, tensor<2x5x4xf32> -> tensor<?x?x?xf32>
  %4 = graph.conv2d %img, %k : (tensor<1x2x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<?x?x?x?xf32>
  %5 = graph.reduce_mean %4 {axes = array<i64: 2, 3>} : tensor<?x?x?x?xf32> -> tensor<?x?xf32>
  %6 = graph.gather %table, %ids : (tensor<10x4xf32>, tensor<3xi64>) -> tensor<?x?xf32>
  %7 = graph.slice %6 {start = array<i64: 1, 0>, limit = array<i64: 3, 4>, step = array<i64: 1, 2>} : tensor<?x?xf32> -> tensor<?x?xf32>
  func.return %3, %5, %7 : tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>
}

// -----

// Symbolic: `graph.dim_bounds` on an argument gives upper bounds of its dynamic dims (static
// dims repeat their size). Ops whose results keep a bounded dynamic dim get the attribute
// (one entry per result dim, -1 for an unbounded one), and so do the function's results.

// CHECK-LABEL: func.func @bounds(%x: tensor<?x77xf16> {graph.dim_bounds = array<i64: 8, 77>}, %w: tensor<77x16xf16>, %u: tensor<?x16xf16>) -> (tensor<4x?x4xf16> {graph.dim_bounds = array<i64: 4, 10, 4>}, tensor<?x16xf16>) {
// CHECK-NEXT:    %0 = graph.matmul %x, %w {graph.dim_bounds = array<i64: 8, 16>} : tensor<?x77xf16>, tensor<77x16xf16> -> tensor<?x16xf16>
// CHECK-NEXT:    %1 = graph.gelu %0 {graph.dim_bounds = array<i64: 8, 16>} : tensor<?x16xf16>
// CHECK-NEXT:    %2 = graph.reshape %1 {graph.dim_bounds = array<i64: 8, 4, 4>} : tensor<?x16xf16> -> tensor<?x4x4xf16>
// CHECK-NEXT:    %3 = graph.transpose %2 {graph.dim_bounds = array<i64: 4, 8, 4>, perm = array<i64: 1, 0, 2>} : tensor<?x4x4xf16> -> tensor<4x?x4xf16>
// CHECK-NEXT:    %4 = graph.slice %3 {graph.dim_bounds = array<i64: 4, 2, 4>, start = array<i64: 0, 1, 0>, limit = array<i64: 4, 5, 4>, step = array<i64: 1, 2, 1>} : tensor<4x?x4xf16> -> tensor<4x?x4xf16>
// CHECK-NEXT:    %5 = graph.concat %3, %4 {graph.dim_bounds = array<i64: 4, 10, 4>, axis = 1 : i64} : (tensor<4x?x4xf16>, tensor<4x?x4xf16>) -> tensor<4x?x4xf16>
// CHECK-NEXT:    %6 = graph.add %0, %u : tensor<?x16xf16>, tensor<?x16xf16> -> tensor<?x16xf16>
// CHECK-NEXT:    %7 = graph.reduce_sum %5 {axes = array<i64: 1>} : tensor<4x?x4xf16> -> tensor<4x4xf16>
// CHECK-NEXT:    func.return %5, %6 : tensor<4x?x4xf16>, tensor<?x16xf16>
// CHECK-NEXT:  }
func.func @bounds(%x: tensor<?x77xf16> {graph.dim_bounds = array<i64: 8, 77>}, %w: tensor<77x16xf16>, %u: tensor<?x16xf16>) -> (tensor<4x?x4xf16>, tensor<?x16xf16>) {
  %0 = graph.matmul %x, %w : tensor<?x77xf16>, tensor<77x16xf16> -> tensor<?x16xf16>
  %1 = graph.gelu %0 : tensor<?x16xf16>
  %2 = graph.reshape %1 : tensor<?x16xf16> -> tensor<?x4x4xf16>
  %3 = graph.transpose %2 {perm = array<i64: 1, 0, 2>} : tensor<?x4x4xf16> -> tensor<4x?x4xf16>
  // a slice is never longer than (limit - start) / step, with or without an input bound
  %4 = graph.slice %3 {start = array<i64: 0, 1, 0>, limit = array<i64: 4, 5, 4>, step = array<i64: 1, 2, 1>} : tensor<4x?x4xf16> -> tensor<4x?x4xf16>
  %5 = graph.concat %3, %4 {axis = 1 : i64} : (tensor<4x?x4xf16>, tensor<4x?x4xf16>) -> tensor<4x?x4xf16>
  // %u is unbounded: two dynamic dims broadcast to the larger, which is unknown
  %6 = graph.add %0, %u : tensor<?x16xf16>, tensor<?x16xf16> -> tensor<?x16xf16>
  %7 = graph.reduce_sum %5 {axes = array<i64: 1>} : tensor<4x?x4xf16> -> tensor<4x4xf16>
  func.return %5, %6 : tensor<4x?x4xf16>, tensor<?x16xf16>
}

// -----

// Bounds through broadcasting, batched matmuls (equal batch dims: the smaller bound), conv
// windows and gathers with dynamic indices; -1 in an argument's bounds leaves a dim unbounded.

// CHECK-LABEL: func.func @more(
// CHECK:         graph.add {{.*}} {graph.dim_bounds = array<i64: 6, 4>} : tensor<?x4xf32>, tensor<1x4xf32> -> tensor<?x4xf32>
// CHECK:         graph.batch_matmul {{.*}} {graph.dim_bounds = array<i64: 3, 5, 7>} : tensor<?x5x6xf32>, tensor<?x6x7xf32> -> tensor<?x5x7xf32>
// CHECK:         graph.conv2d {{.*}} {graph.dim_bounds = array<i64: 2, 4, 8, -1>} : (tensor<?x3x?x?xf32>, tensor<4x3x3x3xf32>) -> tensor<?x4x?x?xf32>
// CHECK:         graph.max_pool2d {{.*}} {graph.dim_bounds = array<i64: 2, 4, 7, -1>, kernel = array<i64: 2, 2>} : tensor<?x4x?x?xf32> -> tensor<?x4x?x?xf32>
// CHECK:         graph.gather {{.*}} {graph.dim_bounds = array<i64: 9, 16>} : (tensor<100x16xf32>, tensor<?xi64>) -> tensor<?x16xf32>
func.func @more(%a: tensor<?x4xf32> {graph.dim_bounds = array<i64: 6, 4>}, %b: tensor<1x4xf32>, %l: tensor<?x5x6xf32> {graph.dim_bounds = array<i64: 3, 5, 6>}, %r: tensor<?x6x7xf32> {graph.dim_bounds = array<i64: 4, 6, 7>}, %img: tensor<?x3x?x?xf32> {graph.dim_bounds = array<i64: 2, 3, 10, -1>}, %k: tensor<4x3x3x3xf32>, %table: tensor<100x16xf32>, %ids: tensor<?xi64> {graph.dim_bounds = array<i64: 9>}) -> (tensor<?x4xf32>, tensor<?x5x7xf32>, tensor<?x4x?x?xf32>, tensor<?x16xf32>) {
  %0 = graph.add %a, %b : tensor<?x4xf32>, tensor<1x4xf32> -> tensor<?x4xf32>
  %1 = graph.batch_matmul %l, %r : tensor<?x5x6xf32>, tensor<?x6x7xf32> -> tensor<?x5x7xf32>
  %2 = graph.conv2d %img, %k : (tensor<?x3x?x?xf32>, tensor<4x3x3x3xf32>) -> tensor<?x4x?x?xf32>
  %3 = graph.max_pool2d %2 {kernel = array<i64: 2, 2>} : tensor<?x4x?x?xf32> -> tensor<?x4x?x?xf32>
  %4 = graph.gather %table, %ids : (tensor<100x16xf32>, tensor<?xi64>) -> tensor<?x16xf32>
  func.return %0, %1, %3, %4 : tensor<?x4xf32>, tensor<?x5x7xf32>, tensor<?x4x?x?xf32>, tensor<?x16xf32>
}

// -----

// graph.fused: the body is inferred with the group's input types, the results follow the
// yield. A func.call's results follow its callee (inferred first, with its result bounds); a
// callee still expects the old types of its arguments (see @caller).

// CHECK-LABEL: func.func @group(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
// CHECK-NEXT:    %0 = graph.reshape %x : tensor<2x4xf32> -> tensor<2x4xf32>
// CHECK-NEXT:    %1 = graph.fused(%0) {kind = "elementwise"} : (tensor<2x4xf32>) -> tensor<2x4xf32> {
// CHECK-NEXT:    ^bb0(%a: tensor<2x4xf32>):
// CHECK-NEXT:      %n = graph.neg %a : tensor<2x4xf32>
// CHECK-NEXT:      graph.yield %n : tensor<2x4xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return %1 : tensor<2x4xf32>
func.func @group(%x: tensor<2x4xf32>) -> tensor<?x4xf32> {
  %0 = graph.reshape %x : tensor<2x4xf32> -> tensor<?x4xf32>
  %1 = graph.fused(%0) {kind = "elementwise"} : (tensor<?x4xf32>) -> tensor<?x4xf32> {
  ^bb0(%a: tensor<?x4xf32>):
    %n = graph.neg %a : tensor<?x4xf32>
    graph.yield %n : tensor<?x4xf32>
  }
  func.return %1 : tensor<?x4xf32>
}

// CHECK-LABEL: func.func @caller(%x: tensor<2x4xf32>, %y: tensor<?x4xf32> {graph.dim_bounds = array<i64: 3, 4>}) -> (tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32> {graph.dim_bounds = array<i64: 3, 4>}) {
// CHECK-NEXT:    %0 = graph.reshape %x : tensor<2x4xf32> -> tensor<?x4xf32>
// CHECK-NEXT:    %1 = func.call @callee(%0) : (tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK-NEXT:    %2 = graph.reshape %x : tensor<2x4xf32> -> tensor<2x4xf32>
// CHECK-NEXT:    %3 = graph.exp %2 : tensor<2x4xf32>
// CHECK-NEXT:    %4 = graph.reshape %3 : tensor<2x4xf32> -> tensor<?x4xf32>
// CHECK-NEXT:    %5 = func.call @callee(%4) : (tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK-NEXT:    %6 = func.call @bounded(%y) : (tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK-NEXT:    %7 = graph.relu %6 {graph.dim_bounds = array<i64: 3, 4>} : tensor<?x4xf32>
// CHECK-NEXT:    func.return %1, %5, %7 : tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>
// CHECK-LABEL: func.func @callee(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
// CHECK-LABEL: func.func @bounded(%x: tensor<?x4xf32> {graph.dim_bounds = array<i64: 3, 4>}) -> (tensor<?x4xf32> {graph.dim_bounds = array<i64: 3, 4>}) {
// CHECK-NEXT:    %0 = graph.exp %x {graph.dim_bounds = array<i64: 3, 4>} : tensor<?x4xf32>
func.func @caller(%x: tensor<2x4xf32>, %y: tensor<?x4xf32> {graph.dim_bounds = array<i64: 3, 4>}) -> (tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>) {
  // read only by the call: the reshape keeps its type
  %0 = graph.reshape %x : tensor<2x4xf32> -> tensor<?x4xf32>
  %1 = func.call @callee(%0) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  // %3 becomes 2x4: the call reads it through a reshape back to ?x4
  %2 = graph.reshape %x : tensor<2x4xf32> -> tensor<?x4xf32>
  %3 = graph.exp %2 : tensor<?x4xf32>
  %4 = func.call @callee(%3) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %5 = func.call @bounded(%y) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %6 = graph.relu %5 : tensor<?x4xf32>
  func.return %1, %4, %6 : tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>
}
func.func @callee(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = graph.exp %x : tensor<?x4xf32>
  func.return %0 : tensor<?x4xf32>
}
func.func @bounded(%x: tensor<?x4xf32> {graph.dim_bounds = array<i64: 3, 4>}) -> tensor<?x4xf32> {
  %0 = graph.exp %x : tensor<?x4xf32>
  func.return %0 : tensor<?x4xf32>
}
