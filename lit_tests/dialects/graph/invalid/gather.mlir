// RUN: ge-opt %s --split-input-file --verify-diagnostics | filecheck %s

// Verifier errors of graph.gather: axis in range, result shape data[:axis] + indices + data[axis+1:],
// element type of the data.

func.func @result_shape_wrong(%d: tensor<5x6xf32>, %i: tensor<3xi64>) {
// CHECK: {{.*}}gather.mlir:[[# @LINE + 2]]:3: error: graph.gather: result shape 5x3 does not match expected 3x6
// CHECK-NEXT: %0 = graph.gather %d, %i : (tensor<5x6xf32>, tensor<3xi64>) -> tensor<5x3xf32>
  %0 = graph.gather %d, %i : (tensor<5x6xf32>, tensor<3xi64>) -> tensor<5x3xf32>
  func.return
}

// -----

func.func @result_shape_wrong_axis_one(%d: tensor<5x6x7xf32>, %i: tensor<2x4xi32>) {
// CHECK: error: graph.gather: result shape 5x8x7 does not match expected 5x2x4x7
  %0 = graph.gather %d, %i {axis = 1 : i64} : (tensor<5x6x7xf32>, tensor<2x4xi32>) -> tensor<5x8x7xf32>
  func.return
}

// -----

func.func @axis_out_of_range(%d: tensor<5x6xf32>, %i: tensor<3xi64>) {
// CHECK: error: graph.gather: axis 2 is out of range for rank 2
  %0 = graph.gather %d, %i {axis = 2 : i64} : (tensor<5x6xf32>, tensor<3xi64>) -> tensor<5x6x3xf32>
  func.return
}

// -----

func.func @negative_axis_out_of_range(%d: tensor<5x6xf32>, %i: tensor<3xi64>) {
// CHECK: error: graph.gather: axis -3 is out of range for rank 2
  %0 = graph.gather %d, %i {axis = -3 : i64} : (tensor<5x6xf32>, tensor<3xi64>) -> tensor<3x5x6xf32>
  func.return
}

// -----

func.func @element_type_differs(%d: tensor<5x6xf16>, %i: tensor<3xi64>) {
// CHECK: error: graph.gather: element types differ: f16, i64
  %0 = graph.gather %d, %i : (tensor<5x6xf16>, tensor<3xi64>) -> tensor<3x6xi64>
  func.return
}
