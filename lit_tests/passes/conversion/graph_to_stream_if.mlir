// RUN: ge-opt %s --split-input-file --verify-diagnostics -p convert-graph-to-stream | filecheck %s
// The whole chain to memory keeps the marks on the buffer-form launches.
// RUN: ge-opt %s --split-input-file --verify-diagnostics -p convert-graph-to-stream,insert-events,convert-stream-to-memory | filecheck %s --check-prefix=MEM

// convert-graph-to-stream flattens graph.if: the ops of each branch move in front of it, the
// launches of the then branch marked `ge.cond = array<i64: input, 1>`, those of the else branch
// `array<i64: input, 0>` (input: the index of the condition among the function's inputs);
// weights and constants of a branch are not marked (their copies run anyway); each result
// becomes an unmarked graph.where(cond, then value, else value) launch. The condition must be
// a function input; nested graph.if is not lowered yet.

// CHECK-LABEL: func.func @branches(%x: tensor<8x16xf32>, %c: tensor<i1>) -> (tensor<8x32xf32>, tensor<8x32xf32>) {
// CHECK-NEXT: %w = graph.weight "w" : tensor<16x32xf32>
// CHECK-NEXT: %w_1, [[WT:%.*]] = stream.copy "h2d" %w : tensor<16x32xf32> -> tensor<16x32xf32>
// CHECK-NEXT: %y, [[YT:%.*]] = stream.launch @branches_k0_matmul(%x, %w_1) await([[WT]]) : (tensor<8x16xf32>, tensor<16x32xf32>) -> (tensor<8x32xf32>)
// CHECK-NEXT: %a, [[AT:%.*]] = stream.launch @branches_k1_gelu(%y) await([[YT]]) {ge.cond = array<i64: 1, 1>, pinned, stream = 1 : i64} : (tensor<8x32xf32>) -> (tensor<8x32xf32>)
// CHECK-NEXT: %w2 = graph.weight "w2" : tensor<32x32xf32>
// CHECK-NEXT: %w2_1, [[W2T:%.*]] = stream.copy "h2d" %w2 : tensor<32x32xf32> -> tensor<32x32xf32>
// CHECK-NEXT: %m, {{%.*}} = stream.launch @branches_k2_matmul(%y, %w2_1) await([[W2T]]) {ge.cond = array<i64: 1, 0>} : (tensor<8x32xf32>, tensor<32x32xf32>) -> (tensor<8x32xf32>)
// CHECK-NEXT: %k, {{%.*}} = stream.launch @branches_k3_constant() : () -> (tensor<f32>)
// CHECK-NEXT: %n, {{%.*}} = stream.launch @branches_k4_mul(%m, %k) {ge.cond = array<i64: 1, 0>} : (tensor<8x32xf32>, tensor<f32>) -> (tensor<8x32xf32>)
// The merges: unconditional, one per result; the then branch yields outer %y for the second.
// CHECK-NEXT: %r, {{%.*}} = stream.launch @branches_k5_where(%c, %a, %n) await([[AT]]) : (tensor<i1>, tensor<8x32xf32>, tensor<8x32xf32>) -> (tensor<8x32xf32>)
// CHECK-NEXT: %s, {{%.*}} = stream.launch @branches_k6_where(%c, %y, %m) : (tensor<i1>, tensor<8x32xf32>, tensor<8x32xf32>) -> (tensor<8x32xf32>)
// CHECK-NEXT: %o, {{%.*}} = stream.launch @branches_k7_tanh(%r) : (tensor<8x32xf32>) -> (tensor<8x32xf32>)
// CHECK-NEXT: func.return %o, %s : tensor<8x32xf32>, tensor<8x32xf32>
// CHECK-NOT: graph.if
// MEM-LABEL: func.func @branches
// MEM: stream.launch @branches_k0_matmul(%{{[0-9]+}}, %{{[0-9]+}}) outs(%{{[0-9]+}}) await(%{{[0-9]+}}) : (
// MEM-NEXT: stream.launch @branches_k1_gelu(%{{[0-9]+}}) outs(%{{[0-9]+}}) await(%{{[0-9]+}}) {ge.cond = array<i64: 1, 1>, pinned, stream = 1 : i64} : (
// MEM: stream.launch @branches_k2_matmul(%{{[0-9]+}}, %{{[0-9]+}}) outs(%{{[0-9]+}}) await(%{{[0-9]+}}) {ge.cond = array<i64: 1, 0>} : (
// MEM-NEXT: stream.launch @branches_k3_constant() outs(%{{[0-9]+}}) : (
// MEM-NEXT: stream.launch @branches_k4_mul(%{{[0-9]+}}, %{{[0-9]+}}) outs(%{{[0-9]+}}) {ge.cond = array<i64: 1, 0>} : (
// MEM-NEXT: stream.launch @branches_k5_where(%{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}) outs(%{{[0-9]+}}) await(%{{[0-9]+}}) : (
// MEM-NEXT: stream.launch @branches_k6_where(%{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}) outs(%{{[0-9]+}}) : (
func.func @branches(%x: tensor<8x16xf32>, %c: tensor<i1>) -> (tensor<8x32xf32>, tensor<8x32xf32>) {
  %w = graph.weight "w" : tensor<16x32xf32>
  %y = graph.matmul %x, %w : tensor<8x16xf32>, tensor<16x32xf32> -> tensor<8x32xf32>
  %r, %s = graph.if %c : tensor<i1> -> (tensor<8x32xf32>, tensor<8x32xf32>) {
    %a = graph.gelu %y {stream_id = 1 : i64} : tensor<8x32xf32>
    graph.yield %a, %y : tensor<8x32xf32>, tensor<8x32xf32>
  } else {
    %w2 = graph.weight "w2" : tensor<32x32xf32>
    %m = graph.matmul %y, %w2 : tensor<8x32xf32>, tensor<32x32xf32> -> tensor<8x32xf32>
    %k = graph.constant dense<2.0> : tensor<f32>
    %n = graph.mul %m, %k : tensor<8x32xf32>, tensor<f32> -> tensor<8x32xf32>
    graph.yield %n, %m : tensor<8x32xf32>, tensor<8x32xf32>
  }
  %o = graph.tanh %r : tensor<8x32xf32>
  func.return %o, %s : tensor<8x32xf32>, tensor<8x32xf32>
}

// -----

// Fused groups of a branch are marked like plain ops.
// CHECK-LABEL: func.func @fused(%c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
// CHECK-NEXT: %f, {{%.*}} = stream.launch @fused_k0_elementwise(%x) {ge.cond = array<i64: 0, 1>} : (tensor<4xf32>) -> (tensor<4xf32>)
// CHECK-NEXT: %r, {{%.*}} = stream.launch @fused_k1_where(%c, %f, %x) : (tensor<i1>, tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>)
// CHECK-NEXT: func.return %r : tensor<4xf32>
func.func @fused(%c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
    %f = graph.fused(%x) {kind = "elementwise"} : (tensor<4xf32>) -> tensor<4xf32> {
    ^bb0(%a: tensor<4xf32>):
      %e = graph.exp %a : tensor<4xf32>
      %n = graph.neg %e : tensor<4xf32>
      graph.yield %n : tensor<4xf32>
    }
    graph.yield %f : tensor<4xf32>
  } else {
    graph.yield %x : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}

// -----

// A condition computed in the function (here a cast) cannot be lowered: the device reads it.
// CHECK: // {{-+}}
// CHECK-NEXT: graph_to_stream_if.mlir:[[# @LINE + 4]]:3: error: graph.if: the condition must be an input of the function to be lowered (the device reads it at run time)
// CHECK-NOT: error
func.func @computed_cond(%x: tensor<4xf32>, %f: tensor<f32>) -> tensor<4xf32> {
  %c = graph.cast %f : tensor<f32> -> tensor<i1>
  %r = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
    %a = graph.exp %x : tensor<4xf32>
    graph.yield %a : tensor<4xf32>
  } else {
    graph.yield %x : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}

// -----

// A constant condition (not pruned first) is not a function input either.
// CHECK: // {{-+}}
// CHECK-NEXT: graph_to_stream_if.mlir:[[# @LINE + 4]]:3: error: graph.if: the condition must be an input of the function to be lowered (the device reads it at run time)
// CHECK-NOT: error
func.func @constant_cond(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = graph.constant dense<true> : tensor<i1>
  %r = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
    %a = graph.exp %x : tensor<4xf32>
    graph.yield %a : tensor<4xf32>
  } else {
    graph.yield %x : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}

// -----

// Nested graph.if: the error points at the inner one.
// CHECK: // {{-+}}
// CHECK-NEXT: graph_to_stream_if.mlir:[[# @LINE + 4]]:5: error: nested graph.if is not lowered yet
// CHECK-NOT: error
func.func @nested(%c: tensor<i1>, %k: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
    %i = graph.if %k : tensor<i1> -> (tensor<4xf32>) {
      %a = graph.exp %x : tensor<4xf32>
      graph.yield %a : tensor<4xf32>
    } else {
      graph.yield %x : tensor<4xf32>
    }
    graph.yield %i : tensor<4xf32>
  } else {
    graph.yield %x : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}
