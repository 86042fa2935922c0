// RUN: ge-opt %s --split-input-file --verify-diagnostics | filecheck %s

// graph.cast changes only the element type: any shape change is an error.

func.func @cast_changes_shape(%x: tensor<2x3xf32>) {
// CHECK: {{.*}}cast.mlir:[[# @LINE + 2]]:3: error: graph.cast: result shape 3x2 does not match expected 2x3
// CHECK-NEXT: %0 = graph.cast %x : tensor<2x3xf32> -> tensor<3x2xf16>
  %0 = graph.cast %x : tensor<2x3xf32> -> tensor<3x2xf16>
  func.return
}

// -----

func.func @cast_changes_rank(%x: tensor<6xi32>) {
// CHECK: error: graph.cast: result shape 1x6 does not match expected 6
  %0 = graph.cast %x : tensor<6xi32> -> tensor<1x6xf32>
  func.return
}

// -----

func.func @cast_static_against_dynamic_mismatch(%x: tensor<?x4xf16>) {
// CHECK: error: graph.cast: result shape ?x5 does not match expected ?x4
  %0 = graph.cast %x : tensor<?x4xf16> -> tensor<?x5xf32>
  func.return
}
