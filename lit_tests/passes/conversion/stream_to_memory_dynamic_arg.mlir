// RUN: not ge-opt %s -p convert-stream-to-memory 2>&1 | filecheck %s

// A function argument with a dynamic shape: the error must be located too (at the function,
// where the argument is declared), like the one for a task result.

stream.kernel @relu {
^bb0(%a: tensor<?x4xf32>):
  %0 = graph.relu %a : tensor<?x4xf32>
  stream.yield %0 : tensor<?x4xf32>
}
// CHECK: {{^}}{{.*}}stream_to_memory_dynamic_arg.mlir:[[# @LINE + 1]]:{{[0-9]+}}: error: tensor<?x4xf32> has a dynamic shape; memory planning needs static shapes (compile a shape bucket)
func.func @dyn_arg(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0, %t = stream.launch @relu(%x) : (tensor<?x4xf32>) -> (tensor<?x4xf32>)
  func.return %0 : tensor<?x4xf32>
}
