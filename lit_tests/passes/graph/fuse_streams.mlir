// RUN: ge-opt %s --split-input-file -p fuse | filecheck %s
// RUN: ge-opt %s --split-input-file -p fuse | ge-opt --split-input-file | filecheck %s

// fuse never merges ops across stream hints: a `stream_id` is a user's placement. Ops with
// the same hint (or none) fuse; the graph.fused carries the hint, its body does not.

// exp (s0 written explicitly) | neg, abs (s1) | relu (no hint): three kernels.

// CHECK-LABEL: func.func @chain(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
// CHECK-NEXT: [[E:%.*]] = graph.exp %x {stream_id = 0 : i64} : tensor<4x8xf32>
// CHECK-NEXT: [[F:%.*]] = graph.fused([[E]]) {stream_id = 1 : i64, kind = "elementwise"} : (tensor<4x8xf32>) -> tensor<4x8xf32> {
// CHECK-NEXT: ^bb0([[A:%.*]]: tensor<4x8xf32>):
// CHECK-NEXT: [[N:%.*]] = graph.neg [[A]] : tensor<4x8xf32>
// CHECK-NEXT: [[B:%.*]] = graph.abs [[N]] : tensor<4x8xf32>
// CHECK-NEXT: graph.yield [[B]] : tensor<4x8xf32>
// CHECK-NEXT: }
// CHECK-NEXT: [[R:%.*]] = graph.relu [[F]] : tensor<4x8xf32>
// CHECK-NEXT: func.return [[R]] : tensor<4x8xf32>
// CHECK-NEXT: }
func.func @chain(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = graph.exp %x {stream_id = 0 : i64} : tensor<4x8xf32>
  %1 = graph.neg %0 {stream_id = 1 : i64} : tensor<4x8xf32>
  %2 = graph.abs %1 {stream_id = 1 : i64} : tensor<4x8xf32>
  %3 = graph.relu %2 : tensor<4x8xf32>
  func.return %3 : tensor<4x8xf32>
}

// -----

// A matmul epilogue on another stream stays apart; so does a sibling projection on another
// stream, and a norm prologue on another stream.

// CHECK-LABEL: func.func @anchors(
// CHECK-NEXT: %wq = graph.weight
// CHECK-NEXT: %wk = graph.weight
// CHECK-NEXT: [[N:%.*]] = graph.layer_norm %x, %g, %g {stream_id = 2 : i64}
// CHECK-NEXT: [[Q:%.*]] = graph.matmul [[N]], %wq :
// CHECK-NEXT: [[K:%.*]] = graph.matmul [[N]], %wk {stream_id = 1 : i64}
// CHECK-NEXT: [[G:%.*]] = graph.gelu [[Q]] {stream_id = 1 : i64}
// CHECK-NEXT: func.return [[G]], [[K]]
// CHECK-NOT: graph.fused
func.func @anchors(%x: tensor<4x8xf32>, %g: tensor<8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %wq = graph.weight "q" : tensor<8x8xf32>
  %wk = graph.weight "k" : tensor<8x8xf32>
  %n = graph.layer_norm %x, %g, %g {stream_id = 2 : i64} : (tensor<4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %q = graph.matmul %n, %wq : tensor<4x8xf32>, tensor<8x8xf32> -> tensor<4x8xf32>
  %k = graph.matmul %n, %wk {stream_id = 1 : i64} : tensor<4x8xf32>, tensor<8x8xf32> -> tensor<4x8xf32>
  %0 = graph.gelu %q {stream_id = 1 : i64} : tensor<4x8xf32>
  func.return %0, %k : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// Everything on stream 3: one attention kernel on stream 3; a scalar constant without a hint
// is still cloned in (constants are not kernels of the group).

// CHECK-LABEL: func.func @same_stream(
// CHECK: graph.fused(%q, %k, %v) {stream_id = 3 : i64, kind = "attention"}
// CHECK-NOT: stream_id
// CHECK: func.return
func.func @same_stream(%q: tensor<8x16xf32>, %k: tensor<8x16xf32>, %v: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %s = graph.constant dense<0.25> : tensor<f32>
  %0 = graph.matmul %q, %k {transpose_b, stream_id = 3 : i64} : tensor<8x16xf32>, tensor<8x16xf32> -> tensor<8x8xf32>
  %1 = graph.mul %0, %s {stream_id = 3 : i64} : tensor<8x8xf32>, tensor<f32> -> tensor<8x8xf32>
  %2 = graph.softmax %1 {stream_id = 3 : i64} : tensor<8x8xf32>
  %3 = graph.matmul %2, %v {stream_id = 3 : i64} : tensor<8x8xf32>, tensor<8x16xf32> -> tensor<8x16xf32>
  func.return %3 : tensor<8x16xf32>
}
