// RUN: ge-opt %s --split-input-file | filecheck %s
// RUN: GE_ROUNDTRIP
// RUN: GE_GENERIC_ROUNDTRIP

// graph.weight (named parameter, static shape) and graph.constant (small dense literal).

// CHECK-LABEL: func.func @weights() {
// CHECK-NEXT: %0 = graph.weight "w" : tensor<3x4xf32>
// CHECK-NEXT: %1 = graph.weight "text_model.encoder.layers.0.self_attn.q_proj.weight" : tensor<768x768xf16>
// CHECK-NEXT: %2 = graph.weight "unet/conv_in/bias" : tensor<320xbf16>
// CHECK-NEXT: %3 = graph.weight "quant.scale" : tensor<64xi8>
// CHECK-NEXT: %4 = graph.weight "position_ids" : tensor<1x77xi64>
// CHECK-NEXT: %5 = graph.weight "scalar" : tensor<f32>
// CHECK-NEXT: %6 = graph.weight "mask" : tensor<77x77xi1>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "weights"
// CHECK-GENERIC-NEXT: %0 = "graph.weight"() <{weight_name = "w"}> : () -> tensor<3x4xf32>
// CHECK-GENERIC-NEXT: %1 = "graph.weight"() <{weight_name = "text_model.encoder.layers.0.self_attn.q_proj.weight"}> : () -> tensor<768x768xf16>
// CHECK-GENERIC-NEXT: %2 = "graph.weight"() <{weight_name = "unet/conv_in/bias"}> : () -> tensor<320xbf16>
// CHECK-GENERIC-NEXT: %3 = "graph.weight"() <{weight_name = "quant.scale"}> : () -> tensor<64xi8>
// CHECK-GENERIC-NEXT: %4 = "graph.weight"() <{weight_name = "position_ids"}> : () -> tensor<1x77xi64>
// CHECK-GENERIC-NEXT: %5 = "graph.weight"() <{weight_name = "scalar"}> : () -> tensor<f32>
// CHECK-GENERIC-NEXT: %6 = "graph.weight"() <{weight_name = "mask"}> : () -> tensor<77x77xi1>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @weights() {
  %0 = graph.weight "w" : tensor<3x4xf32>
  %1 = graph.weight "text_model.encoder.layers.0.self_attn.q_proj.weight" : tensor<768x768xf16>
  %2 = graph.weight "unet/conv_in/bias" : tensor<320xbf16>
  %3 = graph.weight "quant.scale" : tensor<64xi8>
  %4 = graph.weight "position_ids" : tensor<1x77xi64>
  %5 = graph.weight "scalar" : tensor<f32>
  %6 = graph.weight "mask" : tensor<77x77xi1>
  func.return
}

// -----

// CHECK-LABEL: func.func @weight_discardable_attr() {
// CHECK-NEXT: %0 = graph.weight "w" {shard = 0 : i64} : tensor<4xf32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "weight_discardable_attr"
// CHECK-GENERIC-NEXT: %0 = "graph.weight"() <{weight_name = "w"}> {shard = 0 : i64} : () -> tensor<4xf32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @weight_discardable_attr() {
  %0 = graph.weight "w" {shard = 0 : i64} : tensor<4xf32>
  func.return
}

// -----

// CHECK-LABEL: func.func @constants() {
// CHECK-NEXT: %0 = graph.constant dense<1.000000e+00> : tensor<2x3xf32>
// CHECK-NEXT: %1 = graph.constant dense<[1.000000e+00, 2.500000e+00]> : tensor<2xf16>
// CHECK-NEXT: %2 = graph.constant dense<5.000000e-01> : tensor<4xbf16>
// CHECK-NEXT: %3 = graph.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>
// CHECK-NEXT: %4 = graph.constant dense<7> : tensor<i32>
// CHECK-NEXT: %5 = graph.constant dense<[0, -1, 4294967296]> : tensor<3xi64>
// CHECK-NEXT: %6 = graph.constant dense<[true, false]> : tensor<2xi1>
// CHECK-NEXT: %7 = graph.constant dense<-0.000000e+00> : tensor<f64>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "constants"
// CHECK-GENERIC-NEXT: %0 = "graph.constant"() <{value = dense<1.000000e+00> : tensor<2x3xf32>}> : () -> tensor<2x3xf32>
// CHECK-GENERIC-NEXT: %1 = "graph.constant"() <{value = dense<[1.000000e+00, 2.500000e+00]> : tensor<2xf16>}> : () -> tensor<2xf16>
// CHECK-GENERIC-NEXT: %2 = "graph.constant"() <{value = dense<5.000000e-01> : tensor<4xbf16>}> : () -> tensor<4xbf16>
// CHECK-GENERIC-NEXT: %3 = "graph.constant"() <{value = dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>}> : () -> tensor<2x2xi8>
// CHECK-GENERIC-NEXT: %4 = "graph.constant"() <{value = dense<7> : tensor<i32>}> : () -> tensor<i32>
// CHECK-GENERIC-NEXT: %5 = "graph.constant"() <{value = dense<[0, -1, 4294967296]> : tensor<3xi64>}> : () -> tensor<3xi64>
// CHECK-GENERIC-NEXT: %6 = "graph.constant"() <{value = dense<[true, false]> : tensor<2xi1>}> : () -> tensor<2xi1>
// CHECK-GENERIC-NEXT: %7 = "graph.constant"() <{value = dense<-0.000000e+00> : tensor<f64>}> : () -> tensor<f64>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @constants() {
  %0 = graph.constant dense<1.000000e+00> : tensor<2x3xf32>
  %1 = graph.constant dense<[1.000000e+00, 2.500000e+00]> : tensor<2xf16>
  %2 = graph.constant dense<5.000000e-01> : tensor<4xbf16>
  %3 = graph.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>
  %4 = graph.constant dense<7> : tensor<i32>
  %5 = graph.constant dense<[0, -1, 4294967296]> : tensor<3xi64>
  %6 = graph.constant dense<[true, false]> : tensor<2xi1>
  %7 = graph.constant dense<-0.000000e+00> : tensor<f64>
  func.return
}

// -----

// CHECK-LABEL: func.func @constant_attrs() {
// CHECK-NEXT: %0 = graph.constant {tag = "eps"} dense<1.000000e-05> : tensor<1xf32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "constant_attrs"
// CHECK-GENERIC-NEXT: %0 = "graph.constant"() <{value = dense<1.000000e-05> : tensor<1xf32>}> {tag = "eps"} : () -> tensor<1xf32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @constant_attrs() {
  %0 = graph.constant {tag = "eps"} dense<9.99999974E-6> : tensor<1xf32>
  func.return
}

// -----

// CHECK-LABEL: func.func @constant_max_size() {
// CHECK-NEXT: %0 = graph.constant dense<0.000000e+00> : tensor<64x64xf32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "func.func"() <{sym_name = "constant_max_size"
// CHECK-GENERIC-NEXT: %0 = "graph.constant"() <{value = dense<0.000000e+00> : tensor<64x64xf32>}> : () -> tensor<64x64xf32>
// CHECK-GENERIC-NEXT: "func.return"() : () -> ()
func.func @constant_max_size() {
  %0 = graph.constant dense<0.000000e+00> : tensor<64x64xf32>
  func.return
}
