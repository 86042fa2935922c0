// RUN: not ge-opt %s -p convert-stream-to-memory 2>&1 | filecheck %s

// A dynamic shape produced by a task is reported at that task's file:line:col; ge-opt exits 1
// without printing IR. (The value is also returned: the error comes before output planning.)

stream.kernel @k {
^bb0(%a: tensor<2x8xf32>):
  %0 = graph.reshape %a : tensor<2x8xf32> -> tensor<2x?xf32>
  stream.yield %0 : tensor<2x?xf32>
}
stream.kernel @exp {
^bb0(%a: tensor<2x8xf32>):
  %0 = graph.exp %a : tensor<2x8xf32>
  stream.yield %0 : tensor<2x8xf32>
}
// CHECK-NOT: builtin.module
// CHECK: {{^}}{{.*}}stream_to_memory_dynamic.mlir:[[# @LINE + 4]]:3: error: tensor<2x?xf32> has a dynamic shape; memory planning needs static shapes (compile a shape bucket)
// CHECK-NOT: builtin.module
func.func @dyn(%x: tensor<2x8xf32>) -> tensor<2x?xf32> {
  %e, %t0 = stream.launch @exp(%x) : (tensor<2x8xf32>) -> (tensor<2x8xf32>)
  %0, %t1 = stream.launch @k(%e) : (tensor<2x8xf32>) -> (tensor<2x?xf32>)
  func.return %0 : tensor<2x?xf32>
}
