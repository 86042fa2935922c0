// RUN: ge-opt %s --split-input-file --verify-diagnostics | filecheck %s

// Verifier errors of graph.reshape: the element count is kept (unless a dim is dynamic) and so
// is the element type.

func.func @element_count_differs(%x: tensor<2x3x4xf32>) {
// CHECK: {{.*}}reshape.mlir:[[# @LINE + 2]]:3: error: graph.reshape: cannot reshape 2x3x4 (24 elements) to 5x5
// CHECK-NEXT: %0 = graph.reshape %x : tensor<2x3x4xf32> -> tensor<5x5xf32>
  %0 = graph.reshape %x : tensor<2x3x4xf32> -> tensor<5x5xf32>
  func.return
}

// -----

func.func @scalar_to_two(%x: tensor<f32>) {
// CHECK: error: graph.reshape: cannot reshape scalar (1 elements) to 2
  %0 = graph.reshape %x : tensor<f32> -> tensor<2xf32>
  func.return
}

// -----

func.func @element_type_differs(%x: tensor<4xf32>) {
// CHECK: error: graph.reshape: element types differ: f32, i32
  %0 = graph.reshape %x : tensor<4xf32> -> tensor<2x2xi32>
  func.return
}
