// RUN: ge-opt %s --split-input-file --verify-diagnostics | filecheck %s

// Verifier errors of the elementwise binary ops (numpy broadcasting, one element type).

func.func @not_broadcastable(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
// CHECK: {{.*}}binary.mlir:[[# @LINE + 2]]:3: error: graph.add: shapes 2x3 and 4 do not broadcast
// CHECK-NEXT: %0 = graph.add %a, %b : tensor<2x3xf32>, tensor<4xf32> -> tensor<2x3xf32>
  %0 = graph.add %a, %b : tensor<2x3xf32>, tensor<4xf32> -> tensor<2x3xf32>
  func.return
}

// -----

func.func @not_broadcastable_dynamic(%a: tensor<2x?xf32>, %b: tensor<3x1xf32>) {
// CHECK: error: graph.mul: shapes 2x? and 3x1 do not broadcast
  %0 = graph.mul %a, %b : tensor<2x?xf32>, tensor<3x1xf32> -> tensor<2x?xf32>
  func.return
}

// -----

func.func @operand_element_types_differ(%a: tensor<4xf32>, %b: tensor<4xf16>) {
// CHECK: error: graph.sub: element types differ: f16, f32
  %0 = graph.sub %a, %b : tensor<4xf32>, tensor<4xf16> -> tensor<4xf32>
  func.return
}

// -----

func.func @result_element_type_differs(%a: tensor<4xi32>, %b: tensor<4xi32>) {
// CHECK: error: graph.maximum: element types differ: i32, i64
  %0 = graph.maximum %a, %b : tensor<4xi32>, tensor<4xi32> -> tensor<4xi64>
  func.return
}

// -----

func.func @result_shape_wrong(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
// CHECK: error: graph.div: result shape 3x3 does not match expected 2x3
  %0 = graph.div %a, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<3x3xf32>
  func.return
}

// -----

func.func @result_rank_wrong(%a: tensor<2x3xf32>, %b: tensor<1x2x3xf32>) {
// CHECK: error: graph.pow: result shape 2x3 does not match expected 1x2x3
  %0 = graph.pow %a, %b : tensor<2x3xf32>, tensor<1x2x3xf32> -> tensor<2x3xf32>
  func.return
}

// -----

func.func @result_not_broadcast_of_one(%a: tensor<4x1xf32>, %b: tensor<1x5xf32>) {
// CHECK: error: graph.minimum: result shape 4x1 does not match expected 4x5
  %0 = graph.minimum %a, %b : tensor<4x1xf32>, tensor<1x5xf32> -> tensor<4x1xf32>
  func.return
}
