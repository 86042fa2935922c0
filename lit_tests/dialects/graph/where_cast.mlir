// RUN: ge-opt %s --split-input-file | filecheck %s
// RUN: GE_ROUNDTRIP
// RUN: GE_GENERIC_ROUNDTRIP

// graph.where (i1 condition, broadcasting) and graph.cast (any element type to any other).

// CHECK-LABEL: func.func @where_basic(%c: tensor<2x3xi1>, %a: tensor<2x3xf32>, %b: tensor<2x3xf32>) {
// CHECK-NEXT: %0 = graph.where %c, %a, %b : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "where_basic"
// CHECK-GENERIC-NEXT: ^bb0(%c: tensor<2x3xi1>, %a: tensor<2x3xf32>, %b: tensor<2x3xf32>):
// CHECK-GENERIC-NEXT: %0 = "graph.where"(%c, %a, %b) : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @where_basic(%c: tensor<2x3xi1>, %a: tensor<2x3xf32>, %b: tensor<2x3xf32>) {
  %0 = graph.where %c, %a, %b : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return
}

// -----

// CHECK-LABEL: func.func @where_broadcast(%c: tensor<1x1x77x77xi1>, %a: tensor<?x12x77x77xf16>, %b: tensor<f16>) {
// CHECK-NEXT: %0 = graph.where %c, %a, %b : (tensor<1x1x77x77xi1>, tensor<?x12x77x77xf16>, tensor<f16>) -> tensor<?x12x77x77xf16>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "where_broadcast"
// CHECK-GENERIC-NEXT: ^bb0(%c: tensor<1x1x77x77xi1>, %a: tensor<?x12x77x77xf16>, %b: tensor<f16>):
// CHECK-GENERIC-NEXT: %0 = "graph.where"(%c, %a, %b) : (tensor<1x1x77x77xi1>, tensor<?x12x77x77xf16>, tensor<f16>) -> tensor<?x12x77x77xf16>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @where_broadcast(%c: tensor<1x1x77x77xi1>, %a: tensor<?x12x77x77xf16>, %b: tensor<f16>) {
  %0 = graph.where %c, %a, %b : (tensor<1x1x77x77xi1>, tensor<?x12x77x77xf16>, tensor<f16>) -> tensor<?x12x77x77xf16>
  func.return
}

// -----

// CHECK-LABEL: func.func @where_int(%c: tensor<4xi1>, %a: tensor<4xi64>, %b: tensor<1xi64>) {
// CHECK-NEXT: %0 = graph.where %c, %a, %b : (tensor<4xi1>, tensor<4xi64>, tensor<1xi64>) -> tensor<4xi64>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "where_int"
// CHECK-GENERIC-NEXT: ^bb0(%c: tensor<4xi1>, %a: tensor<4xi64>, %b: tensor<1xi64>):
// CHECK-GENERIC-NEXT: %0 = "graph.where"(%c, %a, %b) : (tensor<4xi1>, tensor<4xi64>, tensor<1xi64>) -> tensor<4xi64>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @where_int(%c: tensor<4xi1>, %a: tensor<4xi64>, %b: tensor<1xi64>) {
  %0 = graph.where %c, %a, %b : (tensor<4xi1>, tensor<4xi64>, tensor<1xi64>) -> tensor<4xi64>
  func.return
}

// -----

// CHECK-LABEL: func.func @cast(%x: tensor<2x?xf32>, %i: tensor<8xi32>, %m: tensor<8xi1>, %h: tensor<3xbf16>) {
// CHECK-NEXT: %0 = graph.cast %x : tensor<2x?xf32> -> tensor<2x?xf16>
// CHECK-NEXT: %1 = graph.cast %0 : tensor<2x?xf16> -> tensor<2x?xbf16>
// CHECK-NEXT: %2 = graph.cast %i : tensor<8xi32> -> tensor<8xf32>
// CHECK-NEXT: %3 = graph.cast %2 : tensor<8xf32> -> tensor<8xi8>
// CHECK-NEXT: %4 = graph.cast %m : tensor<8xi1> -> tensor<8xf32>
// CHECK-NEXT: %5 = graph.cast %i : tensor<8xi32> -> tensor<8xi64>
// CHECK-NEXT: %6 = graph.cast %h : tensor<3xbf16> -> tensor<3xf32>
// CHECK-NEXT: %7 = graph.cast %x : tensor<2x?xf32> -> tensor<2x?xf32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "cast"
// CHECK-GENERIC-NEXT: ^bb0(%x: tensor<2x?xf32>, %i: tensor<8xi32>, %m: tensor<8xi1>, %h: tensor<3xbf16>):
// CHECK-GENERIC-NEXT: %0 = "graph.cast"(%x) : (tensor<2x?xf32>) -> tensor<2x?xf16>
// CHECK-GENERIC-NEXT: %1 = "graph.cast"(%0) : (tensor<2x?xf16>) -> tensor<2x?xbf16>
// CHECK-GENERIC-NEXT: %2 = "graph.cast"(%i) : (tensor<8xi32>) -> tensor<8xf32>
// CHECK-GENERIC-NEXT: %3 = "graph.cast"(%2) : (tensor<8xf32>) -> tensor<8xi8>
// CHECK-GENERIC-NEXT: %4 = "graph.cast"(%m) : (tensor<8xi1>) -> tensor<8xf32>
// CHECK-GENERIC-NEXT: %5 = "graph.cast"(%i) : (tensor<8xi32>) -> tensor<8xi64>
// CHECK-GENERIC-NEXT: %6 = "graph.cast"(%h) : (tensor<3xbf16>) -> tensor<3xf32>
// CHECK-GENERIC-NEXT: %7 = "graph.cast"(%x) : (tensor<2x?xf32>) -> tensor<2x?xf32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @cast(%x: tensor<2x?xf32>, %i: tensor<8xi32>, %m: tensor<8xi1>, %h: tensor<3xbf16>) {
  %0 = graph.cast %x : tensor<2x?xf32> -> tensor<2x?xf16>
  %1 = graph.cast %0 : tensor<2x?xf16> -> tensor<2x?xbf16>
  %2 = graph.cast %i : tensor<8xi32> -> tensor<8xf32>
  %3 = graph.cast %2 : tensor<8xf32> -> tensor<8xi8>
  %4 = graph.cast %m : tensor<8xi1> -> tensor<8xf32>
  %5 = graph.cast %i : tensor<8xi32> -> tensor<8xi64>
  %6 = graph.cast %h : tensor<3xbf16> -> tensor<3xf32>
  %7 = graph.cast %x : tensor<2x?xf32> -> tensor<2x?xf32>
  func.return
}
