// Regression test: horizontal fusion places the merged kernel at the last op
// of the *later* sibling, but the earlier sibling's epilogue may come after that op and read
// a value defined in between (here the bias weight %b, as GraphBuilder emits weights right
// before their use). The graph.fused then uses %b before %b is defined. xDSL neither
// verifies dominance nor rejects the forward reference when re-parsing, so nothing flags it
// here; the reference interpreter fails on it (KeyError: no value for %b) and compiling at
// -O2/-O3 fails later with "after pass convert-stream-to-memory: memory.buffer: lifetime
// must be [first, last] with 0 <= first <= last".
// Correct behaviour: every value is defined before the kernel that reads it (the kernel sits
// after its last op in program order, or the siblings are not merged).
// RUN: ge-opt %s -p fuse | ge-opt | filecheck %s

// CHECK-LABEL: func.func @late_bias(
// CHECK: %b = graph.weight "a.bias"
// CHECK: graph.fused({{.*}}%b
// CHECK: func.return
func.func @late_bias(%x: tensor<4x8xf32>) -> (tensor<4x16xf32>, tensor<4x16xf32>) {
  %w1 = graph.weight "a.weight" : tensor<8x16xf32>
  %w2 = graph.weight "b.weight" : tensor<8x16xf32>
  %0 = graph.matmul %x, %w1 : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  %1 = graph.matmul %x, %w2 : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  %b = graph.weight "a.bias" : tensor<16xf32>
  %2 = graph.add %0, %b : tensor<4x16xf32>, tensor<16xf32> -> tensor<4x16xf32>
  func.return %1, %2 : tensor<4x16xf32>, tensor<4x16xf32>
}
