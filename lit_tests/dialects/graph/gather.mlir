// RUN: ge-opt %s --split-input-file | filecheck %s
// RUN: GE_ROUNDTRIP
// RUN: GE_GENERIC_ROUNDTRIP

// graph.gather: take(data, indices, axis); axis defaults to 0 (elided); any integer indices.

// CHECK-LABEL: func.func @gather(%data: tensor<5x6x7xf32>, %i: tensor<3xi64>, %j: tensor<2x4xi32>, %s: tensor<i64>) {
// CHECK-NEXT: %0 = graph.gather %data, %i : (tensor<5x6x7xf32>, tensor<3xi64>) -> tensor<3x6x7xf32>
// CHECK-NEXT: %1 = graph.gather %data, %i : (tensor<5x6x7xf32>, tensor<3xi64>) -> tensor<3x6x7xf32>
// CHECK-NEXT: %2 = graph.gather %data, %j {axis = 1 : i64} : (tensor<5x6x7xf32>, tensor<2x4xi32>) -> tensor<5x2x4x7xf32>
// CHECK-NEXT: %3 = graph.gather %data, %i {axis = -1 : i64} : (tensor<5x6x7xf32>, tensor<3xi64>) -> tensor<5x6x3xf32>
// CHECK-NEXT: %4 = graph.gather %data, %s : (tensor<5x6x7xf32>, tensor<i64>) -> tensor<6x7xf32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "gather"
// CHECK-GENERIC-NEXT: ^bb0(%data: tensor<5x6x7xf32>, %i: tensor<3xi64>, %j: tensor<2x4xi32>, %s: tensor<i64>):
// CHECK-GENERIC-NEXT: %0 = "graph.gather"(%data, %i) <{axis = 0 : i64}> : (tensor<5x6x7xf32>, tensor<3xi64>) -> tensor<3x6x7xf32>
// CHECK-GENERIC-NEXT: %1 = "graph.gather"(%data, %i) <{axis = 0 : i64}> : (tensor<5x6x7xf32>, tensor<3xi64>) -> tensor<3x6x7xf32>
// CHECK-GENERIC-NEXT: %2 = "graph.gather"(%data, %j) <{axis = 1 : i64}> : (tensor<5x6x7xf32>, tensor<2x4xi32>) -> tensor<5x2x4x7xf32>
// CHECK-GENERIC-NEXT: %3 = "graph.gather"(%data, %i) <{axis = -1 : i64}> : (tensor<5x6x7xf32>, tensor<3xi64>) -> tensor<5x6x3xf32>
// CHECK-GENERIC-NEXT: %4 = "graph.gather"(%data, %s) <{axis = 0 : i64}> : (tensor<5x6x7xf32>, tensor<i64>) -> tensor<6x7xf32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @gather(%data: tensor<5x6x7xf32>, %i: tensor<3xi64>, %j: tensor<2x4xi32>, %s: tensor<i64>) {
  %0 = graph.gather %data, %i : (tensor<5x6x7xf32>, tensor<3xi64>) -> tensor<3x6x7xf32>
  %1 = graph.gather %data, %i {axis = 0 : i64} : (tensor<5x6x7xf32>, tensor<3xi64>) -> tensor<3x6x7xf32>
  %2 = graph.gather %data, %j {axis = 1 : i64} : (tensor<5x6x7xf32>, tensor<2x4xi32>) -> tensor<5x2x4x7xf32>
  %3 = graph.gather %data, %i {axis = -1 : i64} : (tensor<5x6x7xf32>, tensor<3xi64>) -> tensor<5x6x3xf32>
  %4 = graph.gather %data, %s : (tensor<5x6x7xf32>, tensor<i64>) -> tensor<6x7xf32>
  func.return
}

// -----

// CHECK-LABEL: func.func @embedding(%table: tensor<49408x768xf16>, %ids: tensor<?x77xi64>) -> tensor<?x77x768xf16> {
// CHECK-NEXT: %0 = graph.gather %table, %ids : (tensor<49408x768xf16>, tensor<?x77xi64>) -> tensor<?x77x768xf16>
// CHECK-NEXT: func.return %0 : tensor<?x77x768xf16>
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "embedding"
// CHECK-GENERIC-NEXT: ^bb0(%table: tensor<49408x768xf16>, %ids: tensor<?x77xi64>):
// CHECK-GENERIC-NEXT: %0 = "graph.gather"(%table, %ids) <{axis = 0 : i64}> : (tensor<49408x768xf16>, tensor<?x77xi64>) -> tensor<?x77x768xf16>
// CHECK-GENERIC-NEXT: "func.return"(%0) : (tensor<?x77x768xf16>) -> ()
func.func @embedding(%table: tensor<49408x768xf16>, %ids: tensor<?x77xi64>) -> tensor<?x77x768xf16> {
  %0 = graph.gather %table, %ids : (tensor<49408x768xf16>, tensor<?x77xi64>) -> tensor<?x77x768xf16>
  func.return %0 : tensor<?x77x768xf16>
}

// -----

// CHECK-LABEL: func.func @gather_int_data(%data: tensor<10xi32>, %i: tensor<4xi8>, %b: tensor<3x?xbf16>, %k: tensor<2xi64>) {
// CHECK-NEXT: %0 = graph.gather %data, %i : (tensor<10xi32>, tensor<4xi8>) -> tensor<4xi32>
// CHECK-NEXT: %1 = graph.gather %b, %k {axis = 1 : i64} : (tensor<3x?xbf16>, tensor<2xi64>) -> tensor<3x2xbf16>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "gather_int_data"
// CHECK-GENERIC-NEXT: ^bb0(%data: tensor<10xi32>, %i: tensor<4xi8>, %b: tensor<3x?xbf16>, %k: tensor<2xi64>):
// CHECK-GENERIC-NEXT: %0 = "graph.gather"(%data, %i) <{axis = 0 : i64}> : (tensor<10xi32>, tensor<4xi8>) -> tensor<4xi32>
// CHECK-GENERIC-NEXT: %1 = "graph.gather"(%b, %k) <{axis = 1 : i64}> : (tensor<3x?xbf16>, tensor<2xi64>) -> tensor<3x2xbf16>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @gather_int_data(%data: tensor<10xi32>, %i: tensor<4xi8>, %b: tensor<3x?xbf16>, %k: tensor<2xi64>) {
  %0 = graph.gather %data, %i : (tensor<10xi32>, tensor<4xi8>) -> tensor<4xi32>
  %1 = graph.gather %b, %k {axis = 1 : i64} : (tensor<3x?xbf16>, tensor<2xi64>) -> tensor<3x2xbf16>
  func.return
}
