// RUN: ge-opt %s --split-input-file --verify-diagnostics -p convert-graph-to-stream | filecheck %s
// RUN: not ge-opt %s -p convert-graph-to-stream 2>&1 | filecheck %s --check-prefix=EXIT

// convert-graph-to-stream rejects ops it cannot outline, with the op's location.
// (Op locations are chunk-relative in split mode, so exact lines are checked only in the
// first chunk and in the EXIT run, which stops at the first error.)

// EXIT: graph_to_stream_errors.mlir:[[# @LINE + 4]]:3: error: cannot lower arith.constant to a kernel
// EXIT-NOT: error
// CHECK: graph_to_stream_errors.mlir:[[# @LINE + 2]]:3: error: cannot lower arith.constant to a kernel
func.func @not_graph(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = arith.constant 1 : i32
  func.return %x : tensor<2xf32>
}

// -----

// Ops with regions (no control flow at stream level yet).

// CHECK: // {{-+}}
// CHECK-NEXT: graph_to_stream_errors.mlir:{{[0-9]+}}:3: error: builtin.module has regions: it cannot be lowered
func.func @regions(%x: tensor<2xf32>) -> tensor<2xf32> {
  builtin.module {
  }
  func.return %x : tensor<2xf32>
}

// -----

// The first function converts, the second fails: the failure is reported, nothing printed.

// CHECK: // {{-+}}
// CHECK-NEXT: graph_to_stream_errors.mlir:{{[0-9]+}}:3: error: cannot lower arith.addf to a kernel
// CHECK-NOT: builtin.module
func.func @ok(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = graph.relu %x : tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
func.func @bad(%a: f32) -> f32 {
  %0 = arith.addf %a, %a : f32
  func.return %0 : f32
}
