// RUN: ge-opt %s --split-input-file --verify-diagnostics 2>&1 | filecheck %s

// A graph.resize whose result has rank < 4 must be a diagnostic, not a crash (the verifier reads
// the result's H and W as dims 2 and 3).

// CHECK-NOT: Traceback
func.func @result_rank_two(%x: tensor<1x3x4x4xf32>) {
// CHECK: error: graph.resize:
  %0 = graph.resize %x : tensor<1x3x4x4xf32> -> tensor<8x8xf32>
  func.return
}

// -----

func.func @result_rank_three(%x: tensor<1x3x4x4xf32>) {
// CHECK: error: graph.resize:
  %0 = graph.resize %x : tensor<1x3x4x4xf32> -> tensor<3x8x8xf32>
  func.return
}
// CHECK-NOT: Traceback
