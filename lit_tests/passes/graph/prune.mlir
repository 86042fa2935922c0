// RUN: ge-opt %s --split-input-file -p prune | filecheck %s
// RUN: ge-opt %s --split-input-file -p 'prune{report=true}' 2>&1 >/dev/null | filecheck %s --check-prefix=REPORT
// The pruned IR re-parses and prints the same; pruning twice removes nothing more.
// RUN: ge-opt %s --split-input-file -p prune | ge-opt --split-input-file -p 'prune{report=true}' 2>&1 | filecheck %s --check-prefix=AGAIN

// prune removes every op that cannot reach a function output (graph ops are Pure), unused
// weights included, and reports ops, weights and weight bytes (f32 = 4, f16 = 2 bytes).

// CHECK-LABEL: func.func @mlp(%x: tensor<2x4xf32>) -> tensor<2x8xf32> {
// CHECK-NEXT:    %w1 = graph.weight "fc1.weight" : tensor<4x8xf32>
// CHECK-NEXT:    %0 = graph.matmul %x, %w1 : tensor<2x4xf32>, tensor<4x8xf32> -> tensor<2x8xf32>
// CHECK-NEXT:    %1 = graph.relu %0 : tensor<2x8xf32>
// CHECK-NEXT:    func.return %1 : tensor<2x8xf32>
// CHECK-NEXT:  }
// REPORT: prune: removed 6 ops (2 weights, 1.5 MB of weights) from @mlp
// AGAIN: prune: removed 0 ops from @mlp
func.func @mlp(%x: tensor<2x4xf32>) -> tensor<2x8xf32> {
  %w1 = graph.weight "fc1.weight" : tensor<4x8xf32>
  %unused = graph.weight "head.weight" : tensor<1000x375xf32>
  %b = graph.weight "head.bias" : tensor<1000xf16>
  %0 = graph.matmul %x, %w1 : tensor<2x4xf32>, tensor<4x8xf32> -> tensor<2x8xf32>
  %1 = graph.relu %0 : tensor<2x8xf32>
  // A whole dead branch: it reads a live value but nothing reads it.
  %2 = graph.exp %0 : tensor<2x8xf32>
  %3 = graph.add %2, %1 : tensor<2x8xf32>, tensor<2x8xf32> -> tensor<2x8xf32>
  %4 = graph.reduce_sum %3 {axes = array<i64: 1>} : tensor<2x8xf32> -> tensor<2xf32>
  // Dead ops whose only inputs are dead weights.
  %5 = graph.cast %b : tensor<1000xf16> -> tensor<1000xf32>
  func.return %1 : tensor<2x8xf32>
}

// -----

// A weight read by two graph.weight ops frees nothing while one of them stays; each function
// is reported on its own line; a function with nothing dead reports 0.

// CHECK-LABEL: func.func @shared(%x: tensor<4xf16>) -> tensor<4xf16> {
// CHECK-NEXT:    %w = graph.weight "w" : tensor<4xf16>
// CHECK-NEXT:    %0 = graph.add %x, %w : tensor<4xf16>, tensor<4xf16> -> tensor<4xf16>
// CHECK-NEXT:    func.return %0 : tensor<4xf16>
// CHECK-NEXT:  }
// CHECK-LABEL: func.func @clean(%x: tensor<4xf16>) -> tensor<4xf16> {
// CHECK-NEXT:    func.return %x : tensor<4xf16>
// CHECK-NEXT:  }
// REPORT-NEXT: prune: removed 2 ops (1 weight, 0 B of weights) from @shared
// REPORT-NEXT: prune: removed 0 ops from @clean
// AGAIN: prune: removed 0 ops from @shared
// AGAIN-NEXT: prune: removed 0 ops from @clean
func.func @shared(%x: tensor<4xf16>) -> tensor<4xf16> {
  %w = graph.weight "w" : tensor<4xf16>
  %again = graph.weight "w" : tensor<4xf16>
  %0 = graph.add %x, %w : tensor<4xf16>, tensor<4xf16> -> tensor<4xf16>
  %1 = graph.neg %again : tensor<4xf16>
  func.return %0 : tensor<4xf16>
}
func.func @clean(%x: tensor<4xf16>) -> tensor<4xf16> {
  func.return %x : tensor<4xf16>
}

// -----

// Ops xDSL cannot prove free of side effects (a func.call) are kept with everything they
// read; pure ops of other dialects (arith.constant) go.

// CHECK-LABEL: func.func @effects(%x: tensor<4xf32>) -> tensor<4xf32> {
// CHECK-NEXT:    %0 = graph.exp %x : tensor<4xf32>
// CHECK-NEXT:    %1 = func.call @sink(%0) : (tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT:    func.return %x : tensor<4xf32>
// CHECK-NEXT:  }
// REPORT-NEXT: prune: removed 1 op from @effects
// REPORT-NEXT: prune: removed 0 ops from @sink
// AGAIN: prune: removed 0 ops from @effects
// AGAIN-NEXT: prune: removed 0 ops from @sink
func.func @effects(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = graph.exp %x : tensor<4xf32>
  %1 = func.call @sink(%0) : (tensor<4xf32>) -> tensor<4xf32>
  %c = arith.constant 1 : i32
  func.return %x : tensor<4xf32>
}
func.func @sink(%x: tensor<4xf32>) -> tensor<4xf32> {
  func.return %x : tensor<4xf32>
}
