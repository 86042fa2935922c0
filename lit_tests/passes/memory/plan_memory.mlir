// RUN: ge-opt %s --split-input-file -p 'convert-graph-to-stream,convert-stream-to-memory,plan-memory' | filecheck %s
// RUN: ge-opt %s --split-input-file -p 'convert-graph-to-stream,convert-stream-to-memory,plan-memory{in-place=false}' | filecheck %s --check-prefix=NOIP
// RUN: ge-opt %s --split-input-file -p 'convert-graph-to-stream,convert-stream-to-memory' | filecheck %s --check-prefix=NOPLAN
// RUN: ge-opt %s --split-input-file -p 'convert-graph-to-stream,convert-stream-to-memory,plan-memory{device="%S/../stream/Inputs/small_limits.json"}' | filecheck %s --check-prefix=A128
// RUN: not ge-opt %s -p 'convert-graph-to-stream,plan-memory' 2>&1 | filecheck %s --check-prefix=ERR

// plan-memory (one stream): activation buffers whose lifetimes are disjoint share bytes, so
// the activations arena shrinks from the sum of the buffers to what is live at once; an
// elementwise kernel writes over an input of the same size that dies there (in place), a
// matmul never does; offsets and the arena size are multiples of the device's alignment
// (512 on 910B2, 128 in small_limits.json). Inputs and outputs keep their own arenas.

// ERR: error: plan-memory needs a memory-level module (run convert-stream-to-memory)
// ERR-NOT: error:

// relu -> exp -> neg -> tanh, 16 KB each. Without the planner the three activations are laid
// end to end (48 KB); planned, each one is dead when the next is written: with in-place
// hand-over all three sit at offset 0 (16 KB), without it they alternate (32 KB).
// NOPLAN-LABEL: memory.arena @activations {size = 49152 : i64}
// CHECK-LABEL: memory.arena @activations {size = 16384 : i64}
// CHECK: func.func @chain()
// CHECK: memory.buffer @activations[0] {lifetime = array<i64: 0, 1>}
// CHECK-NEXT: memory.buffer @activations[0] {lifetime = array<i64: 1, 2>}
// CHECK-NEXT: memory.buffer @activations[0] {lifetime = array<i64: 2, 3>}
// CHECK-NEXT: memory.buffer @outputs[0]
// NOIP-LABEL: memory.arena @activations {size = 32768 : i64}
// NOIP: memory.buffer @activations[[[X:[0-9]+]]] {lifetime = array<i64: 0, 1>}
// NOIP-NEXT: memory.buffer @activations[[[Y:[0-9]+]]] {lifetime = array<i64: 1, 2>}
// NOIP-NEXT: memory.buffer @activations[[[X]]] {lifetime = array<i64: 2, 3>}
func.func @chain(%x: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %a = graph.relu %x : tensor<64x64xf32>
  %b = graph.exp %a : tensor<64x64xf32>
  %c = graph.neg %b : tensor<64x64xf32>
  %d = graph.tanh %c : tensor<64x64xf32>
  func.return %d : tensor<64x64xf32>
}

// -----

// relu -> matmul -> neg -> exp -> tanh (1 KB each): the matmul's output may not take the
// place of its dying input (a matmul reads every input element for many outputs), so relu's
// and the matmul's buffers differ (2 KB arena, not 1 KB); neg and exp then write in place over
// the matmul's.
// CHECK-LABEL: memory.arena @activations {size = 2048 : i64}
// CHECK: func.func @matmul()
// CHECK: memory.buffer @activations[{{[0-9]+}}] {lifetime = array<i64: 0, 1>}
// CHECK-NEXT: memory.buffer @activations[[[M:[0-9]+]]] {lifetime = array<i64: 1, 2>}
// CHECK-NEXT: memory.buffer @activations[[[M]]] {lifetime = array<i64: 2, 3>}
// CHECK-NEXT: memory.buffer @activations[[[M]]] {lifetime = array<i64: 3, 4>}
func.func @matmul(%x: tensor<16x16xf32>, %w: tensor<16x16xf32>) -> tensor<16x16xf32> {
  %a = graph.relu %x : tensor<16x16xf32>
  %b = graph.matmul %a, %w : tensor<16x16xf32>, tensor<16x16xf32> -> tensor<16x16xf32>
  %c = graph.neg %b : tensor<16x16xf32>
  %d = graph.exp %c : tensor<16x16xf32>
  %e = graph.tanh %d : tensor<16x16xf32>
  func.return %e : tensor<16x16xf32>
}

// -----

// 40-byte buffers: relu and exp are live together (add reads both), add reuses relu's place
// in place. Each buffer takes a whole alignment unit.
// CHECK-LABEL: memory.arena @activations {size = 1024 : i64}
// CHECK: func.func @align()
// CHECK: memory.buffer @activations[0] {lifetime = array<i64: 0, 2>} : memref<10xf32>
// CHECK-NEXT: memory.buffer @activations[512] {lifetime = array<i64: 1, 2>} : memref<10xf32>
// CHECK-NEXT: memory.buffer @activations[0] {lifetime = array<i64: 2, 3>} : memref<10xf32>
// A128-LABEL: memory.arena @activations {size = 256 : i64, alignment = 128 : i64}
// A128: func.func @align()
// A128: memory.buffer @activations[0] {lifetime = array<i64: 0, 2>} : memref<10xf32>
// A128-NEXT: memory.buffer @activations[128] {lifetime = array<i64: 1, 2>} : memref<10xf32>
// A128-NEXT: memory.buffer @activations[0] {lifetime = array<i64: 2, 3>} : memref<10xf32>
func.func @align(%x: tensor<10xf32>) -> tensor<10xf32> {
  %a = graph.relu %x : tensor<10xf32>
  %b = graph.exp %x : tensor<10xf32>
  %c = graph.add %a, %b : tensor<10xf32>, tensor<10xf32> -> tensor<10xf32>
  %d = graph.neg %c : tensor<10xf32>
  func.return %d : tensor<10xf32>
}
