// RUN: ge-opt %s --split-input-file --verify-diagnostics --print-debuginfo -p convert-graph-to-stream | filecheck %s --check-prefix=LOC
// RUN: ge-opt %s --split-input-file --verify-diagnostics -p convert-graph-to-stream,convert-stream-to-memory | filecheck %s --check-prefix=DIAG

// The tasks convert-graph-to-stream creates carry the location of the graph op (or weight)
// they come from, so that later errors (dynamic shapes in convert-stream-to-memory, a bad
// stream id) point at the source line instead of `ge-opt: error:`.
// (Op locations are chunk-relative in split mode, so exact lines only in the first chunk.)

// LOC-LABEL: func.func @located(
// LOC: graph.weight "w" : tensor<4x8xf32> loc("{{.*}}graph_to_stream_locations.mlir":[[# @LINE + 7]]:3)
// LOC-NEXT: stream.copy "h2d" {{.*}} loc("{{.*}}graph_to_stream_locations.mlir":[[# @LINE + 6]]:3)
// LOC-NEXT: stream.launch @located_k0_matmul({{.*}} loc("{{.*}}graph_to_stream_locations.mlir":[[# @LINE + 6]]:3)
// LOC-NEXT: stream.launch @located_k1_reshape({{.*}} loc("{{.*}}graph_to_stream_locations.mlir":[[# @LINE + 6]]:3)
// DIAG: {{^}}{{.*}}graph_to_stream_locations.mlir:[[# @LINE + 5]]:3: error: tensor<?x4xf32> has a dynamic shape; memory planning needs static shapes (compile a shape bucket)
// DIAG-NOT: builtin.module
func.func @located(%x: tensor<2x4xf32>) -> tensor<?x4xf32> {
  %w = graph.weight "w" : tensor<4x8xf32>
  %0 = graph.matmul %x, %w : tensor<2x4xf32>, tensor<4x8xf32> -> tensor<2x8xf32>
  %1 = graph.reshape %0 : tensor<2x8xf32> -> tensor<?x4xf32>
  func.return %1 : tensor<?x4xf32>
}

// -----

// A negative stream hint fails verification after the pass: reported at the op.

// LOC: // {{-+}}
// DIAG: // {{-+}}
// DIAG-NEXT: {{^}}{{.*}}graph_to_stream_locations.mlir:{{[0-9]+}}:3: error: {{.*}}-1
func.func @bad_stream(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = graph.relu %x {stream_id = -1 : i64} : tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
