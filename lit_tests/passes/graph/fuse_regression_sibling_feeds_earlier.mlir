// Regression test: horizontal fusion merges sibling matmuls that share a left
// operand even when the *later* sibling feeds the earlier sibling's group. In a gated MLP
// (SwiGLU: silu(x @ Wg) * (x @ Wu)) the gate group [matmul, silu, mul] takes the up matmul
// as a sibling and puts it after the mul that reads it, so the fused body uses the outer
// matmul's result; erasing that op then fails:
//   ge-opt: error: Erased SSA value is used by the operation
// Correct behaviour: the module stays valid (at most one kernel per sibling, or one kernel
// with the up matmul before the mul).
// RUN: ge-opt %s -p fuse | ge-opt | filecheck %s

// CHECK-LABEL: func.func @swiglu(
// CHECK: graph.matmul
// CHECK: graph.silu
// CHECK: graph.mul
// CHECK: func.return
func.func @swiglu(%x: tensor<4x8xf32>) -> tensor<4x16xf32> {
  %wg = graph.weight "gate.weight" : tensor<8x16xf32>
  %wu = graph.weight "up.weight" : tensor<8x16xf32>
  %g = graph.matmul %x, %wg : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  %s = graph.silu %g : tensor<4x16xf32>
  %u = graph.matmul %x, %wu : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  %m = graph.mul %s, %u : tensor<4x16xf32>, tensor<4x16xf32> -> tensor<4x16xf32>
  func.return %m : tensor<4x16xf32>
}
