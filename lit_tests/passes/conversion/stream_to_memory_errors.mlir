// RUN: ge-opt %s --split-input-file --verify-diagnostics -p convert-stream-to-memory | filecheck %s

// convert-stream-to-memory rejects what it cannot place. One diagnostic per chunk.
// (Op locations are chunk-relative in split mode, so exact lines are checked only in the
// first chunk; see stream_to_memory_dynamic.mlir for an exact location.)

// A dynamic shape, located at the task that produces it.

stream.kernel @k {
^bb0(%a: tensor<2x8xf32>):
  %0 = graph.reshape %a : tensor<2x8xf32> -> tensor<?x4xf32>
  stream.yield %0 : tensor<?x4xf32>
}
// CHECK: stream_to_memory_errors.mlir:[[# @LINE + 3]]:3: error: tensor<?x4xf32> has a dynamic shape; memory planning needs static shapes (compile a shape bucket)
// CHECK-NOT: builtin.module
func.func @dyn(%x: tensor<2x8xf32>) -> tensor<?x4xf32> {
  %0, %t = stream.launch @k(%x) : (tensor<2x8xf32>) -> (tensor<?x4xf32>)
  func.return %0 : tensor<?x4xf32>
}

// -----

// Only stream tasks (and graph.weight) may remain in the function.

stream.kernel @k {
^bb0(%a: tensor<2xf32>):
  stream.yield %a : tensor<2xf32>
}
// CHECK: // {{-+}}
// CHECK-NEXT: stream_to_memory_errors.mlir:{{[0-9]+}}:3: error: graph.relu is not a stream task
func.func @leftover(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0, %t = stream.launch @k(%x) : (tensor<2xf32>) -> (tensor<2xf32>)
  %1 = graph.relu %0 : tensor<2xf32>
  func.return %1 : tensor<2xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: stream_to_memory_errors.mlir:{{[0-9]+}}:3: error: arith.constant is not a stream task
func.func @arith(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = arith.constant 1 : i32
  func.return %x : tensor<2xf32>
}

// -----

// One function per module for now.

// CHECK: // {{-+}}
// CHECK-NEXT: ge-opt: error: convert-stream-to-memory handles one function per module for now
func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
  func.return %x : tensor<2xf32>
}
func.func @g(%x: tensor<2xf32>) -> tensor<2xf32> {
  func.return %x : tensor<2xf32>
}

// -----

// A module that already has arenas is not converted twice.

// CHECK: // {{-+}}
// CHECK-NEXT: ge-opt: error: module is already in memory form
memory.arena @inputs {size = 512 : i64}
func.func @f() {
  func.return
}
