// RUN: ge-opt %s --split-input-file | filecheck %s
// RUN: GE_ROUNDTRIP
// RUN: GE_GENERIC_ROUNDTRIP

// Elementwise binary ops: same shapes, numpy broadcasting, dynamic dims, integer element types.

// CHECK-LABEL: func.func @binary_f32(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) {
// CHECK-NEXT: %add = graph.add %a, %b : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT: %sub = graph.sub %a, %b : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT: %mul = graph.mul %a, %b : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT: %div = graph.div %a, %b : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT: %max = graph.maximum %a, %b : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT: %min = graph.minimum %a, %b : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT: %pow = graph.pow %a, %b : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "binary_f32"
// CHECK-GENERIC-NEXT: ^bb0(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>):
// CHECK-GENERIC-NEXT: %add = "graph.add"(%a, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-GENERIC-NEXT: %sub = "graph.sub"(%a, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-GENERIC-NEXT: %mul = "graph.mul"(%a, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-GENERIC-NEXT: %div = "graph.div"(%a, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-GENERIC-NEXT: %max = "graph.maximum"(%a, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-GENERIC-NEXT: %min = "graph.minimum"(%a, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-GENERIC-NEXT: %pow = "graph.pow"(%a, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @binary_f32(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) {
  %add = graph.add %a, %b : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  %sub = graph.sub %a, %b : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  %mul = graph.mul %a, %b : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  %div = graph.div %a, %b : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  %max = graph.maximum %a, %b : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  %min = graph.minimum %a, %b : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  %pow = graph.pow %a, %b : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  func.return
}

// -----

// CHECK-LABEL: func.func @binary_broadcast(%a: tensor<2x1x4xf32>, %b: tensor<3x1xf32>, %s: tensor<f32>, %v: tensor<4xf32>) {
// CHECK-NEXT: %0 = graph.add %a, %b : tensor<2x1x4xf32>, tensor<3x1xf32> -> tensor<2x3x4xf32>
// CHECK-NEXT: %1 = graph.mul %0, %s : tensor<2x3x4xf32>, tensor<f32> -> tensor<2x3x4xf32>
// CHECK-NEXT: %2 = graph.sub %v, %1 : tensor<4xf32>, tensor<2x3x4xf32> -> tensor<2x3x4xf32>
// CHECK-NEXT: %3 = graph.div %s, %s : tensor<f32>, tensor<f32> -> tensor<f32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "binary_broadcast"
// CHECK-GENERIC-NEXT: ^bb0(%a: tensor<2x1x4xf32>, %b: tensor<3x1xf32>, %s: tensor<f32>, %v: tensor<4xf32>):
// CHECK-GENERIC-NEXT: %0 = "graph.add"(%a, %b) : (tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
// CHECK-GENERIC-NEXT: %1 = "graph.mul"(%0, %s) : (tensor<2x3x4xf32>, tensor<f32>) -> tensor<2x3x4xf32>
// CHECK-GENERIC-NEXT: %2 = "graph.sub"(%v, %1) : (tensor<4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK-GENERIC-NEXT: %3 = "graph.div"(%s, %s) : (tensor<f32>, tensor<f32>) -> tensor<f32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @binary_broadcast(%a: tensor<2x1x4xf32>, %b: tensor<3x1xf32>, %s: tensor<f32>, %v: tensor<4xf32>) {
  %0 = graph.add %a, %b : tensor<2x1x4xf32>, tensor<3x1xf32> -> tensor<2x3x4xf32>
  %1 = graph.mul %0, %s : tensor<2x3x4xf32>, tensor<f32> -> tensor<2x3x4xf32>
  %2 = graph.sub %v, %1 : tensor<4xf32>, tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  %3 = graph.div %s, %s : tensor<f32>, tensor<f32> -> tensor<f32>
  func.return
}

// -----

// CHECK-LABEL: func.func @binary_dynamic(%a: tensor<?x77xf16>, %b: tensor<77xf16>, %c: tensor<4x1xf16>, %d: tensor<?x?xf16>) {
// CHECK-NEXT: %0 = graph.add %a, %b : tensor<?x77xf16>, tensor<77xf16> -> tensor<?x77xf16>
// CHECK-NEXT: %1 = graph.mul %c, %d : tensor<4x1xf16>, tensor<?x?xf16> -> tensor<4x?xf16>
// CHECK-NEXT: %2 = graph.maximum %a, %d : tensor<?x77xf16>, tensor<?x?xf16> -> tensor<?x77xf16>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "binary_dynamic"
// CHECK-GENERIC-NEXT: ^bb0(%a: tensor<?x77xf16>, %b: tensor<77xf16>, %c: tensor<4x1xf16>, %d: tensor<?x?xf16>):
// CHECK-GENERIC-NEXT: %0 = "graph.add"(%a, %b) : (tensor<?x77xf16>, tensor<77xf16>) -> tensor<?x77xf16>
// CHECK-GENERIC-NEXT: %1 = "graph.mul"(%c, %d) : (tensor<4x1xf16>, tensor<?x?xf16>) -> tensor<4x?xf16>
// CHECK-GENERIC-NEXT: %2 = "graph.maximum"(%a, %d) : (tensor<?x77xf16>, tensor<?x?xf16>) -> tensor<?x77xf16>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @binary_dynamic(%a: tensor<?x77xf16>, %b: tensor<77xf16>, %c: tensor<4x1xf16>, %d: tensor<?x?xf16>) {
  %0 = graph.add %a, %b : tensor<?x77xf16>, tensor<77xf16> -> tensor<?x77xf16>
  %1 = graph.mul %c, %d : tensor<4x1xf16>, tensor<?x?xf16> -> tensor<4x?xf16>
  %2 = graph.maximum %a, %d : tensor<?x77xf16>, tensor<?x?xf16> -> tensor<?x77xf16>
  func.return
}

// -----

// CHECK-LABEL: func.func @binary_int(%a: tensor<8xi32>, %b: tensor<1xi32>, %c: tensor<2x2xi64>, %d: tensor<2x2xi8>, %e: tensor<4xi1>) {
// CHECK-NEXT: %0 = graph.add %a, %b : tensor<8xi32>, tensor<1xi32> -> tensor<8xi32>
// CHECK-NEXT: %1 = graph.mul %c, %c : tensor<2x2xi64>, tensor<2x2xi64> -> tensor<2x2xi64>
// CHECK-NEXT: %2 = graph.minimum %d, %d : tensor<2x2xi8>, tensor<2x2xi8> -> tensor<2x2xi8>
// CHECK-NEXT: %3 = graph.pow %a, %a : tensor<8xi32>, tensor<8xi32> -> tensor<8xi32>
// CHECK-NEXT: %4 = graph.maximum %e, %e : tensor<4xi1>, tensor<4xi1> -> tensor<4xi1>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "binary_int"
// CHECK-GENERIC-NEXT: ^bb0(%a: tensor<8xi32>, %b: tensor<1xi32>, %c: tensor<2x2xi64>, %d: tensor<2x2xi8>, %e: tensor<4xi1>):
// CHECK-GENERIC-NEXT: %0 = "graph.add"(%a, %b) : (tensor<8xi32>, tensor<1xi32>) -> tensor<8xi32>
// CHECK-GENERIC-NEXT: %1 = "graph.mul"(%c, %c) : (tensor<2x2xi64>, tensor<2x2xi64>) -> tensor<2x2xi64>
// CHECK-GENERIC-NEXT: %2 = "graph.minimum"(%d, %d) : (tensor<2x2xi8>, tensor<2x2xi8>) -> tensor<2x2xi8>
// CHECK-GENERIC-NEXT: %3 = "graph.pow"(%a, %a) : (tensor<8xi32>, tensor<8xi32>) -> tensor<8xi32>
// CHECK-GENERIC-NEXT: %4 = "graph.maximum"(%e, %e) : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @binary_int(%a: tensor<8xi32>, %b: tensor<1xi32>, %c: tensor<2x2xi64>, %d: tensor<2x2xi8>, %e: tensor<4xi1>) {
  %0 = graph.add %a, %b : tensor<8xi32>, tensor<1xi32> -> tensor<8xi32>
  %1 = graph.mul %c, %c : tensor<2x2xi64>, tensor<2x2xi64> -> tensor<2x2xi64>
  %2 = graph.minimum %d, %d : tensor<2x2xi8>, tensor<2x2xi8> -> tensor<2x2xi8>
  %3 = graph.pow %a, %a : tensor<8xi32>, tensor<8xi32> -> tensor<8xi32>
  %4 = graph.maximum %e, %e : tensor<4xi1>, tensor<4xi1> -> tensor<4xi1>
  func.return
}

// -----

// CHECK-LABEL: func.func @binary_bf16(%a: tensor<16x?xbf16>, %b: tensor<16x1xbf16>) {
// CHECK-NEXT: %0 = graph.div %a, %b : tensor<16x?xbf16>, tensor<16x1xbf16> -> tensor<16x?xbf16>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "binary_bf16"
// CHECK-GENERIC-NEXT: ^bb0(%a: tensor<16x?xbf16>, %b: tensor<16x1xbf16>):
// CHECK-GENERIC-NEXT: %0 = "graph.div"(%a, %b) : (tensor<16x?xbf16>, tensor<16x1xbf16>) -> tensor<16x?xbf16>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @binary_bf16(%a: tensor<16x?xbf16>, %b: tensor<16x1xbf16>) {
  %0 = graph.div %a, %b : tensor<16x?xbf16>, tensor<16x1xbf16> -> tensor<16x?xbf16>
  func.return
}
