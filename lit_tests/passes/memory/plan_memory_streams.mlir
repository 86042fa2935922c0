// RUN: ge-opt %s --split-input-file -p 'convert-graph-to-stream,insert-events,convert-stream-to-memory,plan-memory{in-place=false}' | filecheck %s

// plan-memory with several streams: a buffer may take a dead buffer's bytes only if every
// task touching the dead one happens-before the new one's first task (same-stream order or
// awaited timepoints), not merely precedes it in program order.

// Program order: relu (s1, buffer A), exp (s1, reads A, writes B), neg (s0, writes C), add.
// neg comes after A's last use in program order, but stream 0 never awaits stream 1 before
// neg, so exp may still be reading A while neg writes C: C must not share A's bytes, and the
// arena holds all three (48 KB).
// CHECK-LABEL: memory.arena @activations {size = 49152 : i64}
// CHECK: func.func @unordered()
// CHECK: memory.buffer @activations[[[A:[0-9]+]]] {lifetime = array<i64: 0, 1>}
// CHECK-NEXT: memory.buffer @activations[[[B:[0-9]+]]] {lifetime = array<i64: 1, 3>}
// CHECK-NEXT: memory.buffer @activations[{{[0-9]+}}] {lifetime = array<i64: 2, 3>}
// CHECK: stream.launch @unordered_k2_neg(%0) outs(
// CHECK-NOT: await
// CHECK-SAME: : (memref
func.func @unordered(%x: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %a = graph.relu %x {stream_id = 1 : i64} : tensor<64x64xf32>
  %b = graph.exp %a {stream_id = 1 : i64} : tensor<64x64xf32>
  %c = graph.neg %x : tensor<64x64xf32>
  %d = graph.add %b, %c : tensor<64x64xf32>, tensor<64x64xf32> -> tensor<64x64xf32>
  func.return %d : tensor<64x64xf32>
}

// -----

// The same graph on one stream: C reuses A's bytes (32 KB arena).
// CHECK-LABEL: memory.arena @activations {size = 32768 : i64}
// CHECK: func.func @one_stream()
// CHECK: memory.buffer @activations[[[A:[0-9]+]]] {lifetime = array<i64: 0, 1>}
// CHECK-NEXT: memory.buffer @activations[{{[0-9]+}}] {lifetime = array<i64: 1, 3>}
// CHECK-NEXT: memory.buffer @activations[[[A]]] {lifetime = array<i64: 2, 3>}
func.func @one_stream(%x: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %a = graph.relu %x : tensor<64x64xf32>
  %b = graph.exp %a : tensor<64x64xf32>
  %c = graph.neg %x : tensor<64x64xf32>
  %d = graph.add %b, %c : tensor<64x64xf32>, tensor<64x64xf32> -> tensor<64x64xf32>
  func.return %d : tensor<64x64xf32>
}

// -----

// Across streams with an event: neg (s0) awaits exp (s1), which ran after relu on s1, so
// relu's buffer is dead before neg starts on every execution and neg's output reuses it.
// CHECK-LABEL: memory.arena @activations {size = 32768 : i64}
// CHECK: func.func @ordered()
// CHECK: memory.buffer @activations[[[A:[0-9]+]]] {lifetime = array<i64: 0, 1>}
// CHECK-NEXT: memory.buffer @activations[{{[0-9]+}}] {lifetime = array<i64: 1, 2>}
// CHECK-NEXT: memory.buffer @activations[[[A]]] {lifetime = array<i64: 2, 3>}
// CHECK: stream.launch @ordered_k2_neg({{%[0-9]+}}) outs({{%[0-9]+}}) await(
func.func @ordered(%x: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %a = graph.relu %x {stream_id = 1 : i64} : tensor<64x64xf32>
  %b = graph.exp %a {stream_id = 1 : i64} : tensor<64x64xf32>
  %c = graph.neg %b : tensor<64x64xf32>
  %d = graph.add %c, %x : tensor<64x64xf32>, tensor<64x64xf32> -> tensor<64x64xf32>
  func.return %d : tensor<64x64xf32>
}
