// RUN: ge-opt %s -p 'convert-graph-to-stream,task-sink' | filecheck %s
// RUN: ge-opt %s -p 'convert-graph-to-stream' | filecheck %s --check-prefix=HOST

// task-sink marks the module for graph-sink execution: `ge.launch_mode = "sink"` on the
// module (codegen copies it into the Schedule); the tasks themselves do not change.

// CHECK: builtin.module attributes {ge.launch_mode = "sink"} {
// CHECK: func.func @f(
// CHECK-NEXT: %a, {{%.*}} = stream.launch @f_k0_relu(%x) : (
// CHECK-NEXT: func.return %a
// HOST-NOT: launch_mode
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = graph.relu %x : tensor<4xf32>
  func.return %a : tensor<4xf32>
}
