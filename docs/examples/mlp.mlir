func.func @main(%x: tensor<2x3xf32>) -> tensor<2x4xf32> {
  %w = graph.weight "w" : tensor<3x4xf32>
  %y = graph.matmul %x, %w : tensor<2x3xf32>, tensor<3x4xf32> -> tensor<2x4xf32>
  %z = graph.gelu %y {stream_id = 1} : tensor<2x4xf32>
  %r = graph.add %z, %y : tensor<2x4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
  func.return %r : tensor<2x4xf32>
}
