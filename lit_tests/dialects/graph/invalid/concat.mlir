// RUN: ge-opt %s --split-input-file --verify-diagnostics | filecheck %s

// Verifier errors of graph.concat: at least one input, equal ranks, equal dims outside the axis,
// axis in range, result size along the axis, element types.

func.func @ranks_differ(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
// CHECK: {{.*}}concat.mlir:[[# @LINE + 2]]:3: error: graph.concat: inputs have different ranks: 2x3 and 3
// CHECK-NEXT: %0 = graph.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<5x3xf32>
  %0 = graph.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<5x3xf32>
  func.return
}

// -----

func.func @dims_differ_outside_axis(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) {
// CHECK: error: graph.concat: inputs differ outside axis 0: 2x3 and 2x4
  %0 = graph.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<4x3xf32>
  func.return
}

// -----

func.func @axis_out_of_range(%a: tensor<2x3xf32>) {
// CHECK: error: graph.concat: axis 2 is out of range for rank 2
  %0 = graph.concat %a, %a {axis = 2 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  func.return
}

// -----

func.func @negative_axis_out_of_range(%a: tensor<2x3xf32>) {
// CHECK: error: graph.concat: axis -3 is out of range for rank 2
  %0 = graph.concat %a, %a {axis = -3 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  func.return
}

// -----

func.func @result_size_wrong(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>) {
// CHECK: error: graph.concat: result shape 2x9 does not match expected 2x8
  %0 = graph.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x9xf32>
  func.return
}

// -----

func.func @element_types_differ(%a: tensor<2xi32>, %b: tensor<2xi64>) {
// CHECK: error: graph.concat: element types differ: i32, i64
  %0 = graph.concat %a, %b {axis = 0 : i64} : (tensor<2xi32>, tensor<2xi64>) -> tensor<4xi32>
  func.return
}

// -----

func.func @no_inputs() {
// CHECK: error: graph.concat: needs at least one input
  %0 = "graph.concat"() <{axis = 0 : i64}> : () -> tensor<2xf32>
  func.return
}

// -----

func.func @missing_axis(%a: tensor<2xf32>) {
// CHECK: error: {{.*}}property 'axis' expected in operation 'graph.concat'
  %0 = graph.concat %a, %a : (tensor<2xf32>, tensor<2xf32>) -> tensor<4xf32>
  func.return
}
