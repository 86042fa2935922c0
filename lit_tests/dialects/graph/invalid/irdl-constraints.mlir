// RUN: ge-opt %s --split-input-file --verify-diagnostics | filecheck %s

// IRDL operand/result constraints, written in the generic form (float-only ops on integer
// tensors, integer-only gather indices, i1-only where condition, tensors only).

func.func @relu_on_int(%x: tensor<4xi32>) {
// CHECK: {{.*}}irdl-constraints.mlir:[[# @LINE + 2]]:3: error: {{.*}}operand 'input' at position 0 does not verify:
// CHECK-NEXT: %0 = graph.relu %x : tensor<4xi32>
  %0 = "graph.relu"(%x) : (tensor<4xi32>) -> tensor<4xi32>
  func.return
}

// -----

func.func @matmul_on_int(%a: tensor<2x2xi8>, %b: tensor<2x2xi8>) {
// CHECK: error: {{.*}}operand 'lhs' at position 0 does not verify:
  %0 = "graph.matmul"(%a, %b) : (tensor<2x2xi8>, tensor<2x2xi8>) -> tensor<2x2xi8>
  func.return
}

// -----

func.func @conv2d_filter_int(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xi8>) {
// CHECK: error: {{.*}}operand 'filter' at position 1 does not verify:
  %0 = "graph.conv2d"(%x, %w) : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xi8>) -> tensor<1x4x6x6xf32>
  func.return
}

// -----

func.func @max_pool_result_int(%x: tensor<1x3x8x8xf32>) {
// CHECK: error: {{.*}}result 'result' at position 0 does not verify:
  %0 = "graph.max_pool2d"(%x) <{kernel = array<i64: 2, 2>}> : (tensor<1x3x8x8xf32>) -> tensor<1x3x7x7xi32>
  func.return
}

// -----

func.func @softmax_on_int(%x: tensor<4xi64>) {
// CHECK: error: {{.*}}operand 'input' at position 0 does not verify:
  %0 = "graph.softmax"(%x) : (tensor<4xi64>) -> tensor<4xi64>
  func.return
}

// -----

func.func @layer_norm_weight_int(%x: tensor<2x4xf32>, %w: tensor<4xi32>, %b: tensor<4xf32>) {
// CHECK: error: {{.*}}operand 'weight' at position 1 does not verify:
  %0 = "graph.layer_norm"(%x, %w, %b) : (tensor<2x4xf32>, tensor<4xi32>, tensor<4xf32>) -> tensor<2x4xf32>
  func.return
}

// -----

func.func @gather_float_indices(%d: tensor<5x4xf32>, %i: tensor<3xf32>) {
// CHECK: error: {{.*}}operand 'indices' at position 1 does not verify:
  %0 = "graph.gather"(%d, %i) : (tensor<5x4xf32>, tensor<3xf32>) -> tensor<3x4xf32>
  func.return
}

// -----

func.func @where_float_cond(%c: tensor<4xf32>, %a: tensor<4xf32>) {
// CHECK: error: {{.*}}operand 'cond' at position 0 does not verify:
  %0 = "graph.where"(%c, %a, %a) : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  func.return
}

// -----

func.func @add_on_vectors(%a: vector<4xf32>) {
// CHECK: error: {{.*}}operand 'lhs' at position 0 does not verify:
  %0 = "graph.add"(%a, %a) : (vector<4xf32>, vector<4xf32>) -> vector<4xf32>
  func.return
}

// -----

func.func @weight_memref() {
// CHECK: error: {{.*}}result 'result' at position 0 does not verify:
  %0 = "graph.weight"() <{weight_name = "w"}> : () -> memref<4xf32>
  func.return
}

// -----

func.func @resize_on_int(%x: tensor<1x3x4x4xi32>) {
// CHECK: error: {{.*}}operand 'input' at position 0 does not verify:
  %0 = "graph.resize"(%x) : (tensor<1x3x4x4xi32>) -> tensor<1x3x8x8xi32>
  func.return
}

// -----

func.func @avg_pool_missing_kernel(%x: tensor<1x3x8x8xf32>) {
// CHECK: error: {{.*}}property 'kernel' expected in operation 'graph.avg_pool2d'
  %0 = "graph.avg_pool2d"(%x) : (tensor<1x3x8x8xf32>) -> tensor<1x3x7x7xf32>
  func.return
}

// -----

func.func @stride_wrong_element_type(%x: tensor<1x3x8x8xf32>) {
// CHECK: error: {{.*}}Expected attribute i64 but got i32
  %0 = "graph.max_pool2d"(%x) <{kernel = array<i64: 2, 2>, stride = array<i32: 1, 1>}> : (tensor<1x3x8x8xf32>) -> tensor<1x3x7x7xf32>
  func.return
}
