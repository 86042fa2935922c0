// RUN: ge-opt %s --split-input-file --verify-diagnostics | filecheck %s
// RUN: not ge-opt %s --split-input-file -p cse 2>&1 | filecheck %s --check-prefix=FIRST

// Diagnostics name the line in the whole file, not in the split-off chunk: parse errors and
// verifier errors of every chunk are located like those of the first.

// CHECK: split-input-file-locations.mlir:[[# @LINE + 3]]:3: error: graph.add: shapes 2x3 and 4 do not broadcast
// FIRST: split-input-file-locations.mlir:[[# @LINE + 2]]:3: error: graph.add: shapes 2x3 and 4 do not broadcast
func.func @chunk_one(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  %0 = graph.add %a, %b : tensor<2x3xf32>, tensor<4xf32> -> tensor<2x3xf32>
  func.return
}

// -----

// CHECK: split-input-file-locations.mlir:[[# @LINE + 2]]:3: error: graph.add: shapes 2x3 and 4 do not broadcast
func.func @chunk_two_verifier_error(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  %0 = graph.add %a, %b : tensor<2x3xf32>, tensor<4xf32> -> tensor<2x3xf32>
  func.return
}

// -----

// CHECK: split-input-file-locations.mlir:[[# @LINE + 2]]:22: error: Expected ':'
func.func @chunk_three_parse_error(%x: tensor<4xf32>) {
  %0 = graph.relu %x tensor<4xf32>
  func.return
}

// -----

// CHECK: split-input-file-locations.mlir:[[# @LINE + 3]]:3: error: graph.transpose: permutation [0, 0] is not a permutation of rank 2
func.func @chunk_four_verifier_error(%x: tensor<2x3xf32>) {
  %ok = graph.relu %x : tensor<2x3xf32>
  %0 = graph.transpose %x {perm = array<i64: 0, 0>} : tensor<2x3xf32> -> tensor<2x2xf32>
  func.return
}
