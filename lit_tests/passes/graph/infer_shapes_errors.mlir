// RUN: ge-opt %s --split-input-file --verify-diagnostics -p infer-shapes | filecheck %s
// RUN: not ge-opt %s -p infer-shapes 2>&1 | filecheck %s --check-prefix=FIRST

// infer-shapes reports shapes that turn out inconsistent once refined, and malformed
// graph.dim_bounds, at the op (or function) with file:line:col; one diagnostic per chunk.
// Without --verify-diagnostics (FIRST) ge-opt stops at the first error, prints no IR, exits 1.

// CHECK: infer_shapes_errors.mlir:[[# @LINE + 6]]:3: error: graph.add: shapes 2x4 and 3x4 do not broadcast (operand 0 refined by infer-shapes)
// CHECK-NOT: builtin.module
// FIRST: infer_shapes_errors.mlir:[[# @LINE + 4]]:3: error: graph.add: shapes 2x4 and 3x4 do not broadcast (operand 0 refined by infer-shapes)
// FIRST-NOT: builtin.module
func.func @broadcast(%x: tensor<2x4xf32>, %z: tensor<3x4xf32>) -> tensor<?x4xf32> {
  %1 = graph.reshape %x : tensor<2x4xf32> -> tensor<?x4xf32>
  %2 = graph.add %1, %z : tensor<?x4xf32>, tensor<3x4xf32> -> tensor<?x4xf32>
  func.return %2 : tensor<?x4xf32>
}

// -----

// A size the IR states that the refined operands contradict.

// CHECK: // {{-+}}
// CHECK-NEXT: infer_shapes_errors.mlir:[[# @LINE + 3]]:3: error: graph.transpose: the operands give a result of shape 4x2, but the IR declares 4x3 (operand 0 refined by infer-shapes)
func.func @declared(%x: tensor<2x4xf32>) -> tensor<4x3xf32> {
  %1 = graph.reshape %x : tensor<2x4xf32> -> tensor<?x4xf32>
  %2 = graph.transpose %1 {perm = array<i64: 1, 0>} : tensor<?x4xf32> -> tensor<4x3xf32>
  func.return %2 : tensor<4x3xf32>
}

// -----

// The same, found by the op's verifier (element counts of a reshape).

// CHECK: // {{-+}}
// CHECK-NEXT: infer_shapes_errors.mlir:[[# @LINE + 3]]:3: error: graph.reshape: cannot reshape 2x4 (8 elements) to 3x4 (operand 0 refined by infer-shapes)
func.func @count(%x: tensor<2x4xf32>) -> tensor<3x4xf32> {
  %1 = graph.reshape %x : tensor<2x4xf32> -> tensor<?x4xf32>
  %2 = graph.reshape %1 : tensor<?x4xf32> -> tensor<3x4xf32>
  func.return %2 : tensor<3x4xf32>
}

// -----

// The one dynamic dim of a reshape target must divide the element count.

// CHECK: // {{-+}}
// CHECK-NEXT: infer_shapes_errors.mlir:[[# @LINE + 3]]:3: error: graph.reshape: cannot reshape 2x3 (6 elements) to ?x4 (operand 0 refined by infer-shapes)
func.func @divide(%x: tensor<2x3xf32>) -> tensor<?x4xf32> {
  %1 = graph.reshape %x : tensor<2x3xf32> -> tensor<?x3xf32>
  %2 = graph.reshape %1 : tensor<?x3xf32> -> tensor<?x4xf32>
  func.return %2 : tensor<?x4xf32>
}

// -----

// graph.dim_bounds on an argument: one entry per dim, static dims repeat their size, dynamic
// dims >= 1 or -1 (unbounded); only on tensors; and bounds under which an op cannot run.

// CHECK: // {{-+}}
// CHECK-NEXT: infer_shapes_errors.mlir:[[# @LINE + 1]]:1: error: @static_dim: graph.dim_bounds of argument 0 gives 5 for dim 1, which is static (4)
func.func @static_dim(%x: tensor<?x4xf32> {graph.dim_bounds = array<i64: 8, 5>}) -> tensor<?x4xf32> {
  func.return %x : tensor<?x4xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: infer_shapes_errors.mlir:[[# @LINE + 1]]:1: error: @rank: graph.dim_bounds of argument 1 has 1 entry, but tensor<?x4xf32> has 2 dims
func.func @rank(%w: tensor<4xf32>, %x: tensor<?x4xf32> {graph.dim_bounds = array<i64: 8>}) -> tensor<?x4xf32> {
  func.return %x : tensor<?x4xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: infer_shapes_errors.mlir:[[# @LINE + 1]]:1: error: @zero: graph.dim_bounds of argument 0 gives 0 for dim 0: use >= 1, or -1
func.func @zero(%x: tensor<?x4xf32> {graph.dim_bounds = array<i64: 0, 4>}) -> tensor<?x4xf32> {
  func.return %x : tensor<?x4xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: infer_shapes_errors.mlir:[[# @LINE + 1]]:1: error: @kind: graph.dim_bounds of argument 0 must be an array<i64: ...>, got [8 : i64, 4 : i64]
func.func @kind(%x: tensor<?x4xf32> {graph.dim_bounds = [8, 4]}) -> tensor<?x4xf32> {
  func.return %x : tensor<?x4xf32>
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: infer_shapes_errors.mlir:[[# @LINE + 1]]:1: error: @scalar: graph.dim_bounds of argument 0 is not a tensor (i32)
func.func @scalar(%n: i32 {graph.dim_bounds = array<i64: 8>}) -> i32 {
  func.return %n : i32
}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: infer_shapes_errors.mlir:[[# @LINE + 2]]:3: error: graph.conv2d: with the declared graph.dim_bounds, window of 3 does not fit input size 2 with padding 0+0
func.func @window(%x: tensor<1x3x?x8xf32> {graph.dim_bounds = array<i64: 1, 3, 2, 8>}, %k: tensor<4x3x3x3xf32>) -> tensor<1x4x?x6xf32> {
  %0 = graph.conv2d %x, %k : (tensor<1x3x?x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x?x6xf32>
  func.return %0 : tensor<1x4x?x6xf32>
}
