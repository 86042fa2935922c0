// RUN: not ge-opt %s --split-input-file 2>&1 | filecheck %s
// RUN: ge-opt %s --split-input-file --parsing-diagnostics | filecheck %s --check-prefix=DIAG

// An op the graph dialect does not define, or of an unknown dialect, is a located error (see
// unregistered-dialect.mlir for --allow-unregistered-dialect).

// CHECK-NOT: Traceback
// CHECK: unknown-op.mlir:[[# @LINE + 4]]:{{[0-9]+}}: error: Operation graph.frob is not registered
// CHECK-NEXT: graph.frob
// CHECK-NOT: Traceback
func.func @unknown_graph_op(%x: tensor<4xf32>) {
  %0 = graph.frob %x : tensor<4xf32>
  func.return
}

// -----

// DIAG: error: Operation graph.frob is not registered
// DIAG: error: Operation foo.bar is not registered
func.func @unknown_dialect(%x: tensor<4xf32>) {
  %0 = "foo.bar"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  func.return
}
