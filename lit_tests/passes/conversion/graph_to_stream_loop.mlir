// RUN: ge-opt %s --split-input-file --verify-diagnostics -p convert-graph-to-stream | filecheck %s
// The chain to memory: state buffers, in-place carries, lifetimes over the loop.
// RUN: ge-opt %s --split-input-file --verify-diagnostics -p convert-graph-to-stream,insert-events,convert-stream-to-memory | filecheck %s --check-prefix=MEM

// convert-graph-to-stream flattens graph.loop: constants 0 and 1 and one `ge.state = array<i64:
// loop, k>` copy per carried value (k = 0: the index) go in front; the body's launches follow,
// marked `ge.loop = array<i64: loop, trips>` and given the loop's stream hint (pinned); the
// op producing a carried value's next value writes over its state (`ge.carry`): an
// update_slice of the state (a KV cache append) or an elementwise op that reads it last, in
// place; otherwise an extra identity copy (a reshape) at the end of the body. The index steps
// by an add of 1 (carry 0). Weights and constants of the body move out unmarked. The loop's
// results are the last yielded values.

// The kernels come first; that of the in-place update moves only its update (2 x 16 bytes + the
// index), not the cache.
// CHECK: stream.kernel @kv_k8_update_slice attributes {vector_flops = 4 : i64, bytes = 40 : i64}
// CHECK-LABEL: func.func @kv(%cache: tensor<8x4xf32>, %x: tensor<1x4xf32>) -> (tensor<8x4xf32>, tensor<1x4xf32>) {
// CHECK-NEXT: %w = graph.weight "w" : tensor<4x4xf32>
// CHECK-NEXT: %w_1, [[WT:%.*]] = stream.copy "h2d" %w
// CHECK-NEXT: [[ZERO:%.*]], {{%.*}} = stream.launch @kv_k0_constant() : () -> (tensor<i64>)
// CHECK-NEXT: [[ONE:%.*]], {{%.*}} = stream.launch @kv_k1_constant() : () -> (tensor<i64>)
// CHECK-NEXT: %i, {{%.*}} = stream.launch @kv_k2_reshape([[ZERO]]) {ge.state = array<i64: 0, 0>} : (tensor<i64>) -> (tensor<i64>)
// CHECK-NEXT: %kv, {{%.*}} = stream.launch @kv_k3_reshape(%cache) {ge.state = array<i64: 0, 1>} : (tensor<8x4xf32>) -> (tensor<8x4xf32>)
// CHECK-NEXT: %y, {{%.*}} = stream.launch @kv_k4_reshape(%x) {ge.state = array<i64: 0, 2>} : (tensor<1x4xf32>) -> (tensor<1x4xf32>)
// CHECK-NEXT: %k, {{%.*}} = stream.launch @kv_k5_constant() : () -> (tensor<1x4xf32>)
// CHECK-NEXT: %m, {{%.*}} = stream.launch @kv_k6_matmul(%y, %w_1) await({{.*}}) {ge.loop = array<i64: 0, 5>, pinned, stream = 1 : i64}
// CHECK-NEXT: %n, {{%.*}} = stream.launch @kv_k7_mul(%m, %k) {{.*}}{ge.loop = array<i64: 0, 5>, pinned, stream = 1 : i64}
// CHECK-NEXT: %kv2, {{%.*}} = stream.launch @kv_k8_update_slice(%kv, %n, %i) {{.*}}{ge.loop = array<i64: 0, 5>, ge.carry = array<i64: 0, 1>, pinned, stream = 1 : i64}
// CHECK-NEXT: %s, {{%.*}} = stream.launch @kv_k9_reduce_sum(%kv2) {ge.loop = array<i64: 0, 5>, pinned, stream = 1 : i64}
// CHECK-NEXT: {{%.*}}, {{%.*}} = stream.launch @kv_k10_add(%i, [[ONE]]) {{.*}}{ge.loop = array<i64: 0, 5>, ge.carry = array<i64: 0, 0>, pinned, stream = 1 : i64}
// The next %y is computed from the cache, not from %y: an identity copy over its state.
// CHECK-NEXT: [[Y2:%.*]], {{%.*}} = stream.launch @kv_k11_reshape(%s) {ge.loop = array<i64: 0, 5>, ge.carry = array<i64: 0, 2>, pinned, stream = 1 : i64} : (tensor<1x4xf32>) -> (tensor<1x4xf32>)
// After the loop: unmarked, on the function's stream, reading the last values (the copied
// value through its carry, which wrote it into the state after the last iteration).
// CHECK-NEXT: %o, {{%.*}} = stream.launch @kv_k12_tanh([[Y2]]) await({{%.*}}) : (tensor<1x4xf32>) -> (tensor<1x4xf32>)
// CHECK-NEXT: func.return %kv2, %o : tensor<8x4xf32>, tensor<1x4xf32>
// CHECK-NOT: graph.loop
// The cache's state buffer is the output buffer, written in place by the update_slice; the
// carried %y's state buffer is written by the identity copy and lives until the tanh after the loop reads it.
// MEM-LABEL: func.func @kv() {
// MEM: [[YIN:%[0-9]+]] = memory.buffer @inputs[{{[0-9]+}}] {binding = "input:1"
// MEM: [[CACHE:%[0-9]+]] = memory.buffer @outputs[{{[0-9]+}}] {binding = "output:0"
// MEM: [[Y:%[0-9]+]] = memory.buffer @activations[{{[0-9]+}}] {lifetime = array<i64: 5, 13>} : memref<1x4xf32>
// MEM: stream.launch @kv_k3_reshape(%{{[0-9]+}}) outs([[CACHE]]) {ge.state = array<i64: 0, 1>}
// MEM-NEXT: stream.launch @kv_k4_reshape([[YIN]]) outs([[Y]]) {ge.state = array<i64: 0, 2>}
// MEM: stream.launch @kv_k8_update_slice([[CACHE]], %{{[0-9]+}}, %{{[0-9]+}}) outs([[CACHE]]) {ge.loop = array<i64: 0, 5>, ge.carry = array<i64: 0, 1>
// MEM: stream.launch @kv_k11_reshape(%{{[0-9]+}}) outs([[Y]]) {ge.loop = array<i64: 0, 5>, ge.carry = array<i64: 0, 2>
func.func @kv(%cache: tensor<8x4xf32>, %x: tensor<1x4xf32>) -> (tensor<8x4xf32>, tensor<1x4xf32>) {
  %w = graph.weight "w" : tensor<4x4xf32>
  %c, %h = graph.loop(%cache, %x) {trip_count = 5 : i64, stream_id = 1 : i64} : (tensor<8x4xf32>, tensor<1x4xf32>) -> (tensor<8x4xf32>, tensor<1x4xf32>) {
  ^bb0(%i: tensor<i64>, %kv: tensor<8x4xf32>, %y: tensor<1x4xf32>):
    %k = graph.constant dense<0.5> : tensor<1x4xf32>
    %m = graph.matmul %y, %w : tensor<1x4xf32>, tensor<4x4xf32> -> tensor<1x4xf32>
    %n = graph.mul %m, %k : tensor<1x4xf32>, tensor<1x4xf32> -> tensor<1x4xf32>
    %kv2 = graph.update_slice %kv, %n, %i {axis = 0 : i64} : tensor<8x4xf32>, tensor<1x4xf32>, tensor<i64> -> tensor<8x4xf32>
    %s = graph.reduce_sum %kv2 {axes = array<i64: 0>, keepdims} : tensor<8x4xf32> -> tensor<1x4xf32>
    graph.yield %kv2, %s : tensor<8x4xf32>, tensor<1x4xf32>
  }
  %o = graph.tanh %h : tensor<1x4xf32>
  func.return %c, %o : tensor<8x4xf32>, tensor<1x4xf32>
}

// -----

// An accumulator without a stream hint: body launches carry no stream attribute; the add that
// reads the state last writes over it in place. The tanh reads the state before it, so it is
// not in place (the add still reads the state after it).

// CHECK-LABEL: func.func @acc(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
// CHECK: %a, {{%.*}} = stream.launch @acc_k3_reshape(%x) {ge.state = array<i64: 0, 1>}
// CHECK-NEXT: %t, {{%.*}} = stream.launch @acc_k4_tanh(%a) {ge.loop = array<i64: 0, 3>} :
// CHECK-NEXT: %s, {{%.*}} = stream.launch @acc_k5_add(%t, %a) {ge.loop = array<i64: 0, 3>, ge.carry = array<i64: 0, 1>} :
// CHECK-NEXT: {{%.*}}, {{%.*}} = stream.launch @acc_k6_add(%i, {{%.*}}) {ge.loop = array<i64: 0, 3>, ge.carry = array<i64: 0, 0>} :
// CHECK-NEXT: func.return %s : tensor<4x8xf32>
// MEM-LABEL: func.func @acc() {
// MEM: stream.launch @acc_k3_reshape(%{{[0-9]+}}) outs([[A:%[0-9]+]]) {ge.state = array<i64: 0, 1>}
// MEM: stream.launch @acc_k5_add(%{{[0-9]+}}, [[A]]) outs([[A]]) {ge.loop = array<i64: 0, 3>, ge.carry = array<i64: 0, 1>}
func.func @acc(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %r = graph.loop(%x) {trip_count = 3 : i64} : (tensor<4x8xf32>) -> (tensor<4x8xf32>) {
  ^bb0(%i: tensor<i64>, %a: tensor<4x8xf32>):
    %t = graph.tanh %a : tensor<4x8xf32>
    %s = graph.add %t, %a : tensor<4x8xf32>, tensor<4x8xf32> -> tensor<4x8xf32>
    graph.yield %s : tensor<4x8xf32>
  }
  func.return %r : tensor<4x8xf32>
}

// -----

// Nested control flow in a body is not lowered yet: one located error.

// CHECK: // {{-+}}
// CHECK-NEXT: graph_to_stream_loop.mlir:[[# @LINE + 4]]:5: error: a loop body with nested control flow is not lowered yet
func.func @nested(%c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.loop(%x) {trip_count = 2 : i64} : (tensor<4xf32>) -> (tensor<4xf32>) {
  ^bb0(%i: tensor<i64>, %a: tensor<4xf32>):
    %b = graph.if %c : tensor<i1> -> (tensor<4xf32>) {
      %e = graph.exp %a : tensor<4xf32>
      graph.yield %e : tensor<4xf32>
    } else {
      graph.yield %a : tensor<4xf32>
    }
    graph.yield %b : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}
