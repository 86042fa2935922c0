// Regression test: fuse wraps dead ops into a graph.fused with no results
// (nothing outside uses them), and convert-stream-to-memory cannot lower the result-less
// launch it becomes:
//   error: stream.launch in tensor form takes tensors (buffer form needs outs)
// The same function without fuse lowers fine (a dead op is a launch whose result nobody
// reads). The -O2/-O3 pipelines run dce before fuse, so only `-p fuse` pipelines written by
// hand meet this. Correct behaviour: a group without outputs is dropped (its ops are pure)
// or at least lowers.
// RUN: ge-opt %s -p fuse,convert-graph-to-stream,convert-stream-to-memory | filecheck %s

// CHECK-LABEL: func.func @dead(
// CHECK: func.return
func.func @dead(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = graph.exp %x : tensor<4x8xf32>
  %1 = graph.neg %0 : tensor<4x8xf32>
  func.return %x : tensor<4x8xf32>
}
