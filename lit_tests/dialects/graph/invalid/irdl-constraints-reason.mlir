// RUN: ge-opt %s --split-input-file --verify-diagnostics | filecheck %s

// An IRDL constraint failure must say why the operand or result does not verify: xDSL's message
// is two lines ("operand 'input' at position 0 does not verify:" and the reason); the diagnostic
// has to keep the reason (e.g. "Unexpected attribute i32"), not only the first line.

func.func @relu_on_int(%x: tensor<4xi32>) {
// CHECK: error: {{.*}}operand 'input' at position 0 does not verify
// CHECK: Unexpected attribute i32
  %0 = "graph.relu"(%x) : (tensor<4xi32>) -> tensor<4xi32>
  func.return
}

// -----

func.func @relu_result_type_differs(%x: tensor<4xf32>) {
// CHECK: error: {{.*}}result 'result' at position 0 does not verify
// CHECK: expected from variable 'T', but got tensor<4xf16>
  %0 = "graph.relu"(%x) : (tensor<4xf32>) -> tensor<4xf16>
  func.return
}

// -----

func.func @where_cond_i8(%c: tensor<4xi8>, %a: tensor<4xf32>) {
// CHECK: error: {{.*}}operand 'cond' at position 0 does not verify
// CHECK: i8
  %0 = "graph.where"(%c, %a, %a) : (tensor<4xi8>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  func.return
}
